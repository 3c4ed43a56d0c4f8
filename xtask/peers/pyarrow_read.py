"""The reference for reading Parquet: pyarrow reading one column, `text`, batch by batch.

What a Python pipeline does first with a Parquet corpus (`pyarrow.parquet.ParquetFile.iter_batches`),
and no more: the texts are decoded to Python strings and their characters counted, so that the
column is really read, not only mapped. Prints the rows read.

    python pyarrow_read.py corpus.parquet
"""
import sys

import pyarrow.parquet as pq


def main():
    rows = 0
    characters = 0
    for batch in pq.ParquetFile(sys.argv[1]).iter_batches(columns=["text"]):
        for text in batch.column(0).to_pylist():
            rows += 1
            characters += len(text)
    print(rows, characters)


if __name__ == "__main__":
    main()
