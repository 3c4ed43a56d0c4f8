"""The referees for words in the scripts written without spaces: jieba (Chinese), fugashi with
unidic-lite (Japanese) and pythainlp's newmm (Thai), counting the words of texts the way
`corpus stats` counts them (a token is a word when it holds a letter or digit, Python's `\\w`).

    python word_referees.py count LANG FILE...     # word count of each text file, and in all
    python word_referees.py jsonl LANG FILE        # word count of the `text` of each JSON line
    python word_referees.py time LANG FILE         # segmentation only, MB/s over the texts
    python word_referees.py semeval LANG CSV.GZ    # words of the SemEval 2022 texts in LANG

LANG is zh, ja or th. `time` prints `{"seconds": S, "bytes": B, "words": W}` for the texts of a
JSON Lines file (the reference of `cargo xtask bench words`: jieba-based counting against
`corpus stats` on the same file). Loading the dictionary is not timed.
"""
import csv
import gzip
import json
import re
import sys
import time

WORD = re.compile(r"\w")


def segmenter(lang):
    if lang == "zh":
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        return lambda text: jieba.cut(text)
    if lang == "ja":
        import fugashi

        tagger = fugashi.Tagger()
        return lambda text: (w.surface for w in tagger(text))
    if lang == "th":
        from pythainlp.tokenize import word_tokenize

        return lambda text: word_tokenize(text, engine="newmm")
    raise SystemExit(f"no referee for {lang!r}: zh, ja or th")


def count(cut, text):
    return sum(1 for w in cut(text) if WORD.search(w))


def jsonl_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    command, lang, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    cut = segmenter(lang)
    if command == "count":
        total = 0
        for path in files:
            with open(path, encoding="utf-8") as f:
                n = count(cut, f.read())
            print(f"{path}\t{n}")
            total += n
        print(f"all\t{total}")
    elif command == "jsonl":
        print(sum(count(cut, t) for t in jsonl_texts(files[0])))
    elif command == "time":
        texts = jsonl_texts(files[0])
        start = time.perf_counter()
        words = sum(count(cut, t) for t in texts)
        seconds = time.perf_counter() - start
        size = sum(len(t.encode("utf-8")) for t in texts)
        print(json.dumps({"seconds": seconds, "bytes": size, "words": words}))
    elif command == "semeval":
        csv.field_size_limit(1 << 30)
        total = texts = 0
        with gzip.open(files[0], "rt", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for side in "12":
                    if row[f"lang{side}"] == lang:
                        total += count(cut, row[f"text{side}"])
                        texts += 1
        print(json.dumps({"texts": texts, "words": total}))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
