"""Shared by the peer benchmarks: the same task `corpus dedup` does, end to end.

Read JSON Lines, lowercase and split the text into words, hash word 5-grams, MinHash with 128
permutations, LSH at Jaccard 0.8, confirm candidates by estimated Jaccard, keep the first copy,
and write `id,cluster` for `corpus eval`. Each peer script only says how to make a signature
and an LSH index with its library.
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


def dedup(docs, signature, lsh):
    """Greedy dedup: a document joins the first kept copy LSH proposes that is alike enough.

    `signature(shingles)` makes a MinHash with `.jaccard(other)`; `lsh` has `insert(key, m)` and
    `query(m)` returning keys.
    """
    kept = {}
    for key, (doc_id, text) in enumerate(docs):
        m = signature(shingles(text))
        match = None
        for other in lsh.query(m):
            if kept[other][0].jaccard(m) >= THRESHOLD:
                match = kept[other][1]
                break
        if match is None:
            lsh.insert(key, m)
            kept[key] = (m, doc_id)
            match = doc_id
        yield doc_id, match


def main(signature, lsh):
    corpus, out = sys.argv[1], sys.argv[2]
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "cluster"])
        for doc, cluster in dedup(documents(corpus), signature, lsh):
            w.writerow([doc, cluster])
