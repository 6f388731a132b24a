# batch-order.awk: reads the batch output of batch-100k.awk (cut to its first 60 bytes, split on '"') and
# checks that output line n is about input line n: a decision with id L-n, or an error record with id L-n
# or null and "line": n. Prints one summary line, and the first few lines that are wrong.
{
    n = NR; ok = 0
    if ($4 == "L-" n && $6 == "verdict") { dec++; ok = 1 }
    else if ($4 == "L-" n && $6 == "line" && $7 == ":" n ",") { err++; ok = 1 }
    else if ($3 == ":null," && $4 == "line" && $5 == ":" n ",") { err++; ok = 1 }
    if (!ok && ++bad <= 3) print "line " n " wrong or out of order: " $0
}
END { printf "%d lines, %d decisions, %d errors, %s\n", NR, dec, err, bad ? "NOT in order" : "in order" }
