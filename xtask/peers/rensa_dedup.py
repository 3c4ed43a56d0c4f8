"""rensa's R-MinHash and RMinHashLSH (a Rust core driven from Python) on the task of common.py."""
from rensa import RMinHash, RMinHashLSH

import common


def dedup(docs):
    # rensa needs the permutations to split evenly into bands: 16 bands of 8 rows.
    lsh = RMinHashLSH(threshold=common.THRESHOLD, num_perm=common.PERMUTATIONS, num_bands=16)
    kept = {}
    for key, (doc_id, text) in enumerate(docs):
        m = RMinHash(num_perm=common.PERMUTATIONS, seed=1)
        m.update(common.shingles(text))
        match = None
        for other in lsh.query(m):
            if kept[other][0].jaccard(m) >= common.THRESHOLD:
                match = kept[other][1]
                break
        if match is None:
            lsh.insert(key, m)
            kept[key] = (m, doc_id)
            match = doc_id
        yield doc_id, match


if __name__ == "__main__":
    common.main(dedup)
