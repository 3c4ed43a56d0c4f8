"""Shared by the peer benchmarks: the same task `corpus dedup` does, end to end.

Read JSON Lines, lowercase and split the text into words, hash word 5-grams, MinHash with 128
permutations, LSH at Jaccard 0.8, confirm candidates by estimated Jaccard, keep the first copy,
and write `id,cluster` for `corpus eval`.
"""
import csv
import json
import re
import sys

WORD = re.compile(r"\w+(?:['.]\w+)*")
NGRAM = 5
PERMUTATIONS = 128
THRESHOLD = 0.8


def documents(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                yield d["id"], d["text"]


def shingles(text):
    words = WORD.findall(text.lower())
    if len(words) <= NGRAM:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + NGRAM]) for i in range(len(words) - NGRAM + 1)]


def write_clusters(path, clusters):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "cluster"])
        for doc, cluster in clusters:
            w.writerow([doc, cluster])


def main(dedup):
    corpus, out = sys.argv[1], sys.argv[2]
    write_clusters(out, dedup(documents(corpus)))
