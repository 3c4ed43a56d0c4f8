"""datasketch's MinHash and MinHashLSH on the task of common.py."""
from datasketch import MinHash, MinHashLSH

import common


def dedup(docs):
    lsh = MinHashLSH(threshold=common.THRESHOLD, num_perm=common.PERMUTATIONS)
    kept = {}
    for doc_id, text in docs:
        m = MinHash(num_perm=common.PERMUTATIONS, seed=1)
        for s in common.shingles(text):
            m.update(s.encode("utf-8"))
        match = None
        for other in lsh.query(m):
            if kept[other][0].jaccard(m) >= common.THRESHOLD:
                match = kept[other][1]
                break
        if match is None:
            lsh.insert(doc_id, m)
            kept[doc_id] = (m, doc_id)
            match = doc_id
        yield doc_id, match


if __name__ == "__main__":
    common.main(dedup)
