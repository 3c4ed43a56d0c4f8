//! Association and keyness measures over counts.

/// A 2×2 contingency table of a pair (a node and a collocate, or the two words of a bigram),
/// given by its margins: `o11` pairs of the two, `r1` pairs with the first, `c1` pairs with
/// the second, `n` pairs in all. NLTK's `BigramAssocMeasures` take the same four numbers
/// (`n_ii`, `n_ix`, `n_xi`, `n_xx`).
///
/// ```
/// use corpus_stats::Contingency;
///
/// let t = Contingency { o11: 30, r1: 100, c1: 60, n: 10_000 };
/// assert!((t.mi() - (30.0 * 10_000.0 / (100.0 * 60.0_f64)).log2()).abs() < 1e-12);
/// assert!(t.log_likelihood() > 100.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contingency {
    /// Pairs of the two.
    pub o11: u64,
    /// Pairs whose first is the first word (the node).
    pub r1: u64,
    /// Pairs whose second is the second word (the collocate).
    pub c1: u64,
    /// All pairs.
    pub n: u64,
}

impl Contingency {
    /// The four observed cells, row by row.
    fn cells(&self) -> [f64; 4] {
        let (o11, r1, c1, n) = (
            self.o11 as f64,
            self.r1 as f64,
            self.c1 as f64,
            self.n as f64,
        );
        [o11, r1 - o11, c1 - o11, n - r1 - c1 + o11]
    }

    /// The expected cells under independence, row by row.
    fn expected(&self) -> [f64; 4] {
        let (r1, c1, n) = (self.r1 as f64, self.c1 as f64, self.n as f64);
        let (r2, c2) = (n - r1, n - c1);
        [r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n]
    }

    /// Log-likelihood, G² = 2 Σ O ln(O / E) over the four cells (a cell never seen counts
    /// 0): Dunning 1993, NLTK's `likelihood_ratio`.
    pub fn log_likelihood(&self) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        2.0 * self
            .cells()
            .iter()
            .zip(self.expected())
            .filter(|(o, e)| **o > 0.0 && *e > 0.0)
            .map(|(o, e)| o * (o / e).ln())
            .sum::<f64>()
    }

    /// Pointwise mutual information, log₂(O₁₁ N / (R₁ C₁)): Church and Hanks 1990, NLTK's
    /// `pmi`. Minus infinity for a pair never seen.
    pub fn mi(&self) -> f64 {
        ((self.o11 as f64) * (self.n as f64)).log2() - ((self.r1 as f64) * (self.c1 as f64)).log2()
    }

    /// The t-score, (O₁₁ − E₁₁) / √O₁₁: NLTK's `student_t`. 0 for a pair never seen.
    pub fn t_score(&self) -> f64 {
        if self.o11 == 0 || self.n == 0 {
            return 0.0;
        }
        let o = self.o11 as f64;
        (o - (self.r1 as f64) * (self.c1 as f64) / (self.n as f64)) / o.sqrt()
    }
}

/// logDice, 14 + log₂(2 f(xy) / (f(x) + f(y))): Rychlý 2008, Sketch Engine's measure, from the
/// pair's frequency and the two words'. At most 14; independent of the corpus's size.
pub fn log_dice(pair: u64, x: u64, y: u64) -> f64 {
    14.0 + (2.0 * pair as f64 / (x as f64 + y as f64)).log2()
}

/// Keyness of a word found `a` times in a target of `c` words and `b` times in a reference
/// of `d`: log-likelihood G² of the 2×2 table (Rayson and Garside 2000).
pub fn keyness_log_likelihood(a: u64, c: u64, b: u64, d: u64) -> f64 {
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    if c + d == 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let part = |o: f64, e: f64| {
        if o > 0.0 && e > 0.0 {
            o * (o / e).ln()
        } else {
            0.0
        }
    };
    2.0 * (part(a, e1) + part(b, e2))
}

/// Log Ratio, log₂((a / c) / (b / d)), a word's effect size between a target (`a` of `c`
/// words) and a reference (`b` of `d`), with a frequency of 0 taken as 0.5 (Hardie 2014):
/// each point is a doubling of the relative frequency.
pub fn log_ratio(a: u64, c: u64, b: u64, d: u64) -> f64 {
    let adjust = |f: u64| if f == 0 { 0.5 } else { f as f64 };
    ((adjust(a) / c.max(1) as f64) / (adjust(b) / d.max(1) as f64)).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table worked by hand: 10 pairs of the two of 1,000, the first word in 50 pairs, the
    /// second in 40. Cells 10, 40, 30, 920; expected 2, 48, 38, 912.
    #[test]
    fn the_measures_of_a_table_worked_by_hand() {
        let t = Contingency {
            o11: 10,
            r1: 50,
            c1: 40,
            n: 1000,
        };
        let g2 = 2.0
            * (10.0 * (10.0f64 / 2.0).ln()
                + 40.0 * (40.0f64 / 48.0).ln()
                + 30.0 * (30.0f64 / 38.0).ln()
                + 920.0 * (920.0f64 / 912.0).ln());
        assert!(
            (t.log_likelihood() - g2).abs() < 1e-12,
            "{}",
            t.log_likelihood()
        );
        // 2 (16.0944 - 7.2929 - 7.0918 + 8.0359) = 19.4897.
        assert!((t.log_likelihood() - 19.4897).abs() < 1e-4, "{g2}");
        assert!((t.mi() - 5f64.log2()).abs() < 1e-12);
        assert!((t.t_score() - 8.0 / 10f64.sqrt()).abs() < 1e-12);
        assert!((log_dice(10, 50, 40) - (14.0 + (20.0f64 / 90.0).log2())).abs() < 1e-12);
        assert_eq!(log_dice(5, 5, 5), 14.0);
    }

    /// Keyness worked by hand: 30 in 10,000 target words, 10 in 20,000 reference words.
    /// Expected 13.33 and 26.67.
    #[test]
    fn keyness_of_a_table_worked_by_hand() {
        let g2 = keyness_log_likelihood(30, 10_000, 10, 20_000);
        let want =
            2.0 * (30.0 * (30.0 / (40.0f64 / 3.0)).ln() + 10.0 * (10.0 / (80.0f64 / 3.0)).ln());
        assert!((g2 - want).abs() < 1e-12);
        assert!((g2 - 29.0392).abs() < 1e-4, "{g2}");
        // Six times as frequent: log2 6.
        assert!((log_ratio(30, 10_000, 10, 20_000) - 6f64.log2()).abs() < 1e-12);
        // Never in the reference: 0.5 stands for it.
        assert!((log_ratio(8, 1000, 0, 1000) - 4.0).abs() < 1e-12);
        assert!(log_ratio(0, 1000, 8, 1000) < 0.0);
        assert_eq!(keyness_log_likelihood(0, 0, 0, 0), 0.0);
    }
}
