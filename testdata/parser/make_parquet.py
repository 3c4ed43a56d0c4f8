"""Writes the Parquet fixtures with pyarrow, so that the parser is tested on what Python writes.

Run once, from the repository root, with the benchmarks' virtualenv (it has pyarrow):

    target/bench/peers-venv/bin/python testdata/parser/make_parquet.py

The text is made up. pyarrow 26.0.1 wrote the files in the repository.
"""

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).parent
OK = HERE / "ok"
PROBLEMS = HERE / "problems"

TEXTS = [
    "The harbour board approved the new ferry timetable on Monday.\n\n"
    "Read: Ferry fares rise again",
    "Heavy rain closed two mountain passes overnight, the roads agency said.",
    "Città e campagna: il consiglio ha votato il bilancio.",
    "A third story, written in three short sentences. It has a date. It has an outlet.",
    "Wheat prices fell for a fourth week as harvest estimates rose.",
]


def table_with_everything():
    """Every column kind the reader handles, in small row groups."""
    return pa.table(
        {
            "id": pa.array([101, 102, 103, 104, 105], pa.int64()),
            "text": pa.array(TEXTS, pa.string()),
            "date": pa.array(
                [dt.date(2021, 3, 8), dt.date(2021, 3, 9), None, dt.date(2021, 3, 10), dt.date(2021, 3, 11)],
                pa.date32(),
            ),
            "outlet": pa.array(
                ["Courier", "Courier", "Gazzetta", "Herald", "Courier"]
            ).dictionary_encode(),
            "words": pa.array([14, 12, 8, 16, 11], pa.int32()),
            "score": pa.array([0.5, 1.25, None, 2.0, 0.75], pa.float64()),
            "front_page": pa.array([True, False, False, True, None], pa.bool_()),
            "tags": pa.array([["ferry"], [], ["politics", "italy"], None, ["wheat"]], pa.list_(pa.string())),
        }
    )


def main():
    everything = table_with_everything()
    pq.write_table(everything, OK / "pyarrow_snappy.parquet", row_group_size=2)

    # Strings as large_string, ids as strings, dates as timestamps in a fixed zone: the day is
    # the zone's (23:30 at +02:00 on the 8th is the 8th there, the 8th in UTC too; 01:30 on the
    # 9th at +02:00 is the 8th in UTC, and must stay the 9th).
    stamps = pa.array(
        [
            dt.datetime(2021, 3, 8, 21, 30, tzinfo=dt.timezone.utc),
            dt.datetime(2021, 3, 8, 23, 30, tzinfo=dt.timezone.utc),
        ],
        pa.timestamp("ms", tz="+02:00"),
    )
    zoned = pa.table(
        {
            "id": pa.array(["zoned-1", "zoned-2"], pa.string()),
            "text": pa.array(TEXTS[:2], pa.large_string()),
            "published": stamps,
        }
    )
    pq.write_table(zoned, OK / "pyarrow_zstd.parquet", compression="zstd")

    # string_view text and a string date column, gzip.
    views = pa.table(
        {
            "text": pa.array(TEXTS[2:4], pa.string_view()),
            "date": pa.array(["2021-03-08T10:00:00Z", "2021-03-09"], pa.string()),
        }
    )
    pq.write_table(views, OK / "pyarrow_gzip.parquet", compression="gzip")

    # No id column: documents are <stem>:<row>. lz4.
    bare = pa.table({"text": pa.array(TEXTS, pa.string())})
    pq.write_table(bare, OK / "pyarrow_lz4.parquet", compression="lz4", row_group_size=3)

    # A text column that is not text, and a text null, an empty text and a bad date.
    numbers = pa.table({"text": pa.array([1, 2], pa.int64())})
    pq.write_table(numbers, PROBLEMS / "text_not_string.parquet")
    holes = pa.table(
        {
            "text": pa.array([TEXTS[0], None, "   ", TEXTS[1]], pa.string()),
            "date": pa.array(["2021-03-08", "2021-03-09", "2021-03-10", "2021-02-30"], pa.string()),
        }
    )
    pq.write_table(holes, PROBLEMS / "null_and_empty.parquet")
    # A codec not built in (brotli): the row groups are problems, named.
    pq.write_table(bare, PROBLEMS / "brotli.parquet", compression="brotli", row_group_size=3)
    # A file cut before its footer.
    whole = (OK / "pyarrow_snappy.parquet").read_bytes()
    (PROBLEMS / "truncated.parquet").write_bytes(whole[: len(whole) // 2])


if __name__ == "__main__":
    main()
