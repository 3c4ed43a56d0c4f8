"""rensa's R-MinHash and RMinHashLSH (a Rust core driven from Python) on the task of common.py."""
from rensa import RMinHash, RMinHashLSH

import common


def signature(shingles):
    m = RMinHash(num_perm=common.PERMUTATIONS, seed=1)
    m.update(shingles)
    return m


if __name__ == "__main__":
    # rensa needs the permutations to split evenly into bands: 16 bands of 8 rows.
    common.main(signature, RMinHashLSH(threshold=common.THRESHOLD, num_perm=common.PERMUTATIONS, num_bands=16))
