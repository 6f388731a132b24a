# batch-100k.awk: 100,000 JSON Lines for the batch-100k case, ids L-1 ... L-100000. Every 100th line is bad:
# an unknown country (id known) or, every 200th from the 100th, cut-off JSON (id unknown). The good lines
# cycle through 8 destinations (end user headquartered there) and 5 catalog chips, every pair 2,500 times.
BEGIN {
    split("CN DE JP US HK VN AE IN", dest, " ")
    split("H20 H100 A100 B200 L40S", chip, " ")
    for (i = 1; i <= 100000; i++) {
        if (i % 200 == 0)
            printf "{\"id\": \"L-%d\", \"destination\": \"XX\", \"chip\": \"H20\"}\n", i
        else if (i % 100 == 0)
            printf "{\"id\": \"L-%d\", \"destination\": \n", i
        else
            printf "{\"id\": \"L-%d\", \"destination\": \"%s\", \"end_user_hq\": \"%s\", \"chip\": \"%s\"}\n",
                   i, dest[i % 8 + 1], dest[i % 8 + 1], chip[i % 5 + 1]
    }
}
