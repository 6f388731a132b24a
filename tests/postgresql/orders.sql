-- orders.sql: a table of :rows generated order lines (psql variable rows), the same on every run: every
-- catalog chip, 20 destinations, end-user headquarters and export_from sometimes unknown (NULL), ship dates
-- from 2022-06 to 2027-02. shipment is the same line as JSON, for the jsonb functions and for the batch.
CREATE TABLE orders AS
SELECT id, chip, destination, end_user_hq, ship_date, export_from,
       jsonb_strip_nulls(jsonb_build_object('id', 'SO-' || id, 'chip', chip, 'destination', destination,
           'end_user_hq', end_user_hq, 'date', ship_date, 'export_from', export_from)) AS shipment
FROM (
    SELECT i AS id,
           chips[1 + (i * 7 + i / 13) % cardinality(chips)] AS chip,
           countries[1 + (i * 13 + i / 7) % 20] AS destination,
           (countries || ARRAY[NULL, NULL]::text[])[1 + (i * 17 + i / 11) % 22] AS end_user_hq,
           date '2022-06-01' + (i * 37 + i / 5) % 1720 AS ship_date,
           (ARRAY['US', 'DE', NULL])[1 + (i / 3) % 3] AS export_from
    FROM (SELECT array_agg(name ORDER BY name) AS chips FROM chipcheck.chips()) c,
         (SELECT ARRAY['CN', 'HK', 'MO', 'RU', 'DE', 'US', 'JP', 'AE', 'IN', 'SA', 'VN', 'MY', 'SG', 'IL', 'KR',
                       'TW', 'BR', 'NI', 'KH', 'CY'] AS countries) k,
         generate_series(1, :rows) i
) lines;
ANALYZE orders;
