"""Converts the generated JSON Lines corpus to Parquet with pyarrow, as Python pipelines write it.

Streaming (`pyarrow.json.open_json`), one row group per block of about 16 MB of JSON, snappy
(pyarrow's default codec); `metadata` becomes a struct column, as datatrove writes it.

    python to_parquet.py corpus.jsonl corpus.parquet
"""
import sys

import pyarrow.json as pj
import pyarrow.parquet as pq


def main():
    source, target = sys.argv[1], sys.argv[2]
    reader = pj.open_json(source, read_options=pj.ReadOptions(block_size=16 << 20))
    with pq.ParquetWriter(target, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)


if __name__ == "__main__":
    main()
