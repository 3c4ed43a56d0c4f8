"""The reference for the linguist's views: NLTK doing what `corpus kwic` and `corpus
collocations --bigrams` do, end to end, the way its users do it; and NLTK's measures over our
counts, to check that the scores are the same.

    python nltk_views.py kwic WORD corpus.jsonl[.gz]        # nltk.Text(...).concordance_list
    python nltk_views.py bigrams corpus.jsonl[.gz]          # BigramCollocationFinder, G2
    python nltk_views.py check collocations.csv             # NLTK's G2 and PMI of our tables

Words are split with NLTK's `RegexpTokenizer` (no model to download), lowercased for the
collocations as ours are. `check` reads the CSV of `corpus collocations --csv` and prints the
largest difference, relative to the value (at least 1), between our `log_likelihood` and `mi`
and NLTK's `likelihood_ratio` and `pmi` of the same (o11, r1, c1, n), and how many rows.
"""
import csv
import gzip
import json
import sys

from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from nltk.text import Text
from nltk.tokenize import RegexpTokenizer

TOKENS = RegexpTokenizer(r"\w+(?:['.]\w+)*")


def texts(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)["text"]


def kwic(word, path):
    tokens = []
    for text in texts(path):
        tokens.extend(TOKENS.tokenize(text))
    lines = Text(tokens).concordance_list(word, width=80, lines=sys.maxsize)
    print(len(lines))


def bigrams(path):
    def words():
        for text in texts(path):
            yield from (w.lower() for w in TOKENS.tokenize(text))

    finder = BigramCollocationFinder.from_words(words())
    finder.apply_freq_filter(3)
    scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    print(len(scored))


def check(path):
    worst = 0.0
    rows = 0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            o11, r1, c1, n = (int(row[k]) for k in ("o11", "r1", "c1", "n"))
            ll = BigramAssocMeasures.likelihood_ratio(o11, (r1, c1), n)
            pmi = BigramAssocMeasures.pmi(o11, (r1, c1), n)
            for ours, theirs in ((float(row["log_likelihood"]), ll), (float(row["mi"]), pmi)):
                worst = max(worst, abs(ours - theirs) / max(1.0, abs(theirs)))
            rows += 1
    print(rows, repr(worst))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "kwic":
        kwic(sys.argv[2], sys.argv[3])
    elif command == "bigrams":
        bigrams(sys.argv[2])
    else:
        check(sys.argv[2])
