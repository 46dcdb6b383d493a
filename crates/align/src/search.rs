//! The search: a monotone path of beads through the grid of sentence
//! positions, by dynamic programming inside a *band* of cells.
//!
//! Small documents use the whole grid. Long ones first find a coarse path
//! through blocks of sentences (each block a hashed bag of its evidence
//! keys, compared by cosine, dynamic time warping over the block grid),
//! then search the sentences only near it: time grows linearly with the
//! length of the documents. The second pass searches near the first
//! pass's path. The same lattice gives, by forward-backward, the posterior
//! probability of each bead of the best path: its confidence.

use rayon::prelude::*;

use super::model::{MAX_SHAPE, Model, POS_CAP, SHAPES};

/// For each row `i` (sentences of A consumed, 0..=na) the allowed columns
/// `lo[i]..=hi[i]` (sentences of B consumed). Both bounds never decrease.
#[derive(Debug, Clone)]
pub struct Band {
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
    pub nb: usize,
}

impl Band {
    pub fn full(na: usize, nb: usize) -> Band {
        Band {
            lo: vec![0; na + 1],
            hi: vec![nb; na + 1],
            nb,
        }
    }

    pub fn na(&self) -> usize {
        self.lo.len() - 1
    }

    /// Cells in the band.
    pub fn cells(&self) -> usize {
        self.lo.iter().zip(&self.hi).map(|(l, h)| h + 1 - l).sum()
    }

    /// A band of half-width `w` around a path of bead corners.
    pub fn around(path: &[(usize, usize)], na: usize, nb: usize, w: usize) -> Band {
        let mut lo = vec![usize::MAX; na + 1];
        let mut hi = vec![0usize; na + 1];
        let mut mark = |i: usize, j: usize| {
            lo[i] = lo[i].min(j);
            hi[i] = hi[i].max(j);
        };
        mark(0, 0);
        mark(na, nb);
        for win in path.windows(2) {
            let (i0, j0) = win[0];
            let (i1, j1) = win[1];
            for i in i0..=i1 {
                // the straight line between the corners
                let t = if i1 > i0 {
                    (i - i0) as f64 / (i1 - i0) as f64
                } else {
                    0.0
                };
                let j = j0 as f64 + t * (j1 as f64 - j0 as f64);
                mark(i, j.floor() as usize);
                mark(i, j.ceil() as usize);
            }
            if i0 == i1 {
                mark(i0, j0);
                mark(i0, j1);
            }
        }
        for &(i, j) in path {
            mark(i, j);
        }
        // rows the path did not touch: carry the neighbours over
        for i in 1..=na {
            if lo[i] == usize::MAX {
                lo[i] = lo[i - 1];
                hi[i] = hi[i - 1];
            }
        }
        Band::from_raw(lo, hi, na, nb, w)
    }

    /// Widen by `w` rows and columns each way and make it monotone.
    fn from_raw(lo: Vec<usize>, hi: Vec<usize>, na: usize, nb: usize, w: usize) -> Band {
        let mut l = vec![0usize; na + 1];
        let mut h = vec![0usize; na + 1];
        for i in 0..=na {
            let a = i.saturating_sub(w);
            let b = (i + w).min(na);
            l[i] = lo[a].saturating_sub(w);
            h[i] = (hi[b] + w).min(nb);
        }
        // monotone: lo from the right, hi from the left
        for i in (0..na).rev() {
            l[i] = l[i].min(l[i + 1]);
        }
        for i in 1..=na {
            h[i] = h[i].max(h[i - 1]);
        }
        l[0] = 0;
        h[na] = nb;
        for i in 0..=na {
            if l[i] > h[i] {
                l[i] = h[i];
            }
        }
        Band { lo: l, hi: h, nb }
    }

    /// Both bands' cells.
    pub fn union(&self, other: &Band) -> Band {
        Band {
            lo: self
                .lo
                .iter()
                .zip(&other.lo)
                .map(|(a, b)| *a.min(b))
                .collect(),
            hi: self
                .hi
                .iter()
                .zip(&other.hi)
                .map(|(a, b)| *a.max(b))
                .collect(),
            nb: self.nb,
        }
    }

    /// The corners of the path that run along an edge of the band (where
    /// the band is not the edge of the grid): there the best path may lie
    /// outside it.
    pub fn touched_by(&self, path: &[PathBead]) -> Vec<(usize, usize)> {
        path.iter()
            .flat_map(|b| [(b.a.0, b.b.0), (b.a.1, b.b.1)])
            .filter(|&(i, j)| {
                (self.lo[i] > 0 && j <= self.lo[i] + 1)
                    || (self.hi[i] < self.nb && j + 1 >= self.hi[i])
            })
            .collect()
    }

    #[inline]
    pub fn contains(&self, i: usize, j: usize) -> bool {
        j >= self.lo[i] && j <= self.hi[i]
    }
}

/// Which sentences of A and B share evidence, for every pair of
/// sentences that a bead inside the band can put together.
pub struct Coverage {
    /// Per sentence i of A: the B sentences `jlo[i]..jhi[i]` precomputed.
    jlo: Vec<usize>,
    jhi: Vec<usize>,
    /// Offset of pair (i, jlo[i]) in `off`.
    row: Vec<usize>,
    /// Per pair: start of its A positions and B positions in `pos`.
    off: Vec<(u32, u32, u32)>,
    pos: Vec<u16>,
}

impl Coverage {
    pub fn build(m: &Model, band: &Band) -> Coverage {
        let (sa, sb) = m.sentences();
        let na = sa.len();
        let mut jlo = vec![0; na];
        let mut jhi = vec![0; na];
        for i in 0..na {
            jlo[i] = band.lo[i.saturating_sub(MAX_SHAPE - 1)];
            jhi[i] = band.hi[(i + MAX_SHAPE).min(na)].min(sb.len());
            if jhi[i] < jlo[i] {
                jhi[i] = jlo[i];
            }
        }
        let n_keys =
            m.a.keys
                .iter()
                .chain(m.b.keys.iter())
                .flatten()
                .map(|&k| k as usize + 1)
                .max()
                .unwrap_or(0);
        // rows in parallel chunks, each with its own scratch
        let chunk = 64;
        type Rows = (Vec<usize>, Vec<(u32, u32, u32)>, Vec<u16>);
        let rows: Vec<Rows> = (0..na.div_ceil(chunk))
            .into_par_iter()
            .map(|c| {
                let mut stamp = vec![u32::MAX; n_keys];
                let mut head = vec![0u32; n_keys];
                let mut chain: Vec<(u16, u32)> = Vec::new();
                let mut amark = vec![u32::MAX; POS_CAP];
                let mut starts = Vec::new();
                let mut off = Vec::new();
                let mut pos = Vec::new();
                let mut bpos = Vec::new();
                let mut pair_id = 0u32;
                for i in c * chunk..((c + 1) * chunk).min(na) {
                    starts.push(off.len());
                    // index the keys of sentence i
                    chain.clear();
                    let st = i as u32;
                    for &p in &m.a.active[i] {
                        let t = sa[i][p as usize];
                        for &k in &m.a.keys[t as usize] {
                            let k = k as usize;
                            let next = if stamp[k] == st { head[k] } else { u32::MAX };
                            stamp[k] = st;
                            chain.push((p, next));
                            head[k] = (chain.len() - 1) as u32;
                        }
                    }
                    for (j, sbj) in sb.iter().enumerate().take(jhi[i]).skip(jlo[i]) {
                        pair_id = pair_id.wrapping_add(1);
                        let a_start = pos.len() as u32;
                        bpos.clear();
                        for &q in &m.b.active[j] {
                            let t = sbj[q as usize];
                            let mut hit = false;
                            for &k in &m.b.keys[t as usize] {
                                let k = k as usize;
                                if stamp[k] != st {
                                    continue;
                                }
                                hit = true;
                                let mut e = head[k];
                                while e != u32::MAX {
                                    let (p, next) = chain[e as usize];
                                    if amark[p as usize] != pair_id {
                                        amark[p as usize] = pair_id;
                                        pos.push(p);
                                    }
                                    e = next;
                                }
                            }
                            if hit {
                                bpos.push(q);
                            }
                        }
                        let b_start = pos.len() as u32;
                        pos.extend_from_slice(&bpos);
                        off.push((a_start, b_start, pos.len() as u32));
                    }
                }
                (starts, off, pos)
            })
            .collect();
        let mut row = Vec::with_capacity(na);
        let mut off: Vec<(u32, u32, u32)> = Vec::new();
        let mut pos: Vec<u16> = Vec::new();
        for (starts, o, p) in rows {
            let ob = off.len();
            let pb = pos.len() as u32;
            row.extend(starts.into_iter().map(|r| ob + r));
            off.extend(o.into_iter().map(|e| (e.0 + pb, e.1 + pb, e.2 + pb)));
            pos.extend(p);
        }
        Coverage {
            jlo,
            jhi,
            row,
            off,
            pos,
        }
    }

    /// (A positions covered, B positions covered) of sentence pair (i, j).
    #[inline]
    fn pair(&self, i: usize, j: usize) -> (&[u16], &[u16]) {
        if j < self.jlo[i] || j >= self.jhi[i] {
            return (&[], &[]);
        }
        let (a, b, e) = self.off[self.row[i] + j - self.jlo[i]];
        (
            &self.pos[a as usize..b as usize],
            &self.pos[b as usize..e as usize],
        )
    }
}

/// Scratch space for scoring beads.
pub struct Scratch {
    amark: Vec<u32>,
    bmark: Vec<u32>,
    stamp: u32,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            amark: vec![0; MAX_SHAPE * POS_CAP],
            bmark: vec![0; MAX_SHAPE * POS_CAP],
            stamp: 0,
        }
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}

/// Score of the bead A[i0..i1] × B[j0..j1] with shape index `s`.
pub fn bead_score(
    m: &Model,
    cov: &Coverage,
    s: usize,
    (i0, i1, j0, j1): (usize, usize, usize, usize),
    sc: &mut Scratch,
) -> f64 {
    let prior = m.log_prior[s];
    if i0 == i1 || j0 == j1 {
        return prior;
    }
    let (sa, sb) = m.sentences();
    let mut lex = 0.0;
    let mut na = 0u32;
    let mut nb = 0u32;
    let mut la = 0.0;
    let mut lb = 0.0;
    for i in i0..i1 {
        lex += m.a.base[i];
        na += m.a.n[i];
        la += m.a_chars[i] as f64;
    }
    for j in j0..j1 {
        lex += m.b.base[j];
        nb += m.b.n[j];
        lb += m.b_chars[j] as f64;
    }
    sc.stamp = sc.stamp.wrapping_add(1);
    if sc.stamp == 0 {
        sc.amark.fill(0);
        sc.bmark.fill(0);
        sc.stamp = 1;
    }
    let st = sc.stamp;
    const W: usize = POS_CAP;
    for (di, i) in (i0..i1).enumerate() {
        for (dj, j) in (j0..j1).enumerate() {
            let (ap, bp) = cov.pair(i, j);
            for &p in ap {
                let slot = di * W + p as usize;
                if sc.amark[slot] != st {
                    sc.amark[slot] = st;
                    lex += m.a.gain(sa[i][p as usize], nb);
                }
            }
            for &q in bp {
                let slot = dj * W + q as usize;
                if sc.bmark[slot] != st {
                    sc.bmark[slot] = st;
                    lex += m.b.gain(sb[j][q as usize], na);
                }
            }
        }
    }
    let para = m.para.as_ref().map_or(0.0, |p| p.score(i0, i1, j0, j1));
    prior + m.lex_weight * lex + m.length_llr(la, lb) + para
}

/// A bead: sentences `a.0..a.1` of A with `b.0..b.1` of B.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathBead {
    pub a: (usize, usize),
    pub b: (usize, usize),
    pub shape: usize,
    /// Its score (log-likelihood ratio + log prior).
    pub score: f64,
    /// Posterior probability of this bead.
    pub posterior: f64,
}

fn logaddexp(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    let d = lo - hi;
    if d < -40.0 {
        return hi;
    }
    hi + d.exp().ln_1p()
}

/// The best path in the band (Viterbi), with the posterior of each of its
/// beads (forward-backward over the same lattice).
pub fn best_path(m: &Model, cov: &Coverage, band: &Band) -> Vec<PathBead> {
    let na = band.na();
    let nb = band.nb;
    let ns = SHAPES.len();
    let mut row = Vec::with_capacity(na + 2);
    let mut total = 0usize;
    for i in 0..=na {
        row.push(total);
        total += band.hi[i] + 1 - band.lo[i];
    }
    let idx = |i: usize, j: usize| row[i] + j - band.lo[i];
    // bead scores by (end cell, shape), kept when they fit in memory
    let cache_ok = total.saturating_mul(ns) <= 60_000_000;
    let mut cache: Vec<f32> = if cache_ok {
        vec![f32::NAN; total * ns]
    } else {
        Vec::new()
    };
    let mut vit = vec![f64::NEG_INFINITY; total];
    let mut back = vec![u8::MAX; total];
    let mut fwd = vec![f64::NEG_INFINITY; total];
    vit[0] = 0.0;
    fwd[0] = 0.0;
    let mut sc = Scratch::new();
    for i in 0..=na {
        for j in band.lo[i]..=band.hi[i] {
            if i == 0 && j == 0 {
                continue;
            }
            let c = idx(i, j);
            let mut best = f64::NEG_INFINITY;
            let mut arg = u8::MAX;
            let mut f = f64::NEG_INFINITY;
            for &s in &m.shapes {
                let (a, b) = SHAPES[s];
                let (a, b) = (a as usize, b as usize);
                if a > i || b > j || !band.contains(i - a, j - b) {
                    continue;
                }
                let p = idx(i - a, j - b);
                if vit[p] == f64::NEG_INFINITY {
                    continue;
                }
                let score = bead_score(m, cov, s, (i - a, i, j - b, j), &mut sc);
                if cache_ok {
                    cache[c * ns + s] = score as f32;
                }
                let v = vit[p] + score;
                if v > best {
                    best = v;
                    arg = s as u8;
                }
                f = logaddexp(f, fwd[p] + score);
            }
            vit[c] = best;
            back[c] = arg;
            fwd[c] = f;
        }
    }
    let score_of = |i: usize, j: usize, s: usize, sc: &mut Scratch| -> f64 {
        let (a, b) = SHAPES[s];
        if cache_ok {
            let v = cache[idx(i, j) * ns + s];
            if !v.is_nan() {
                return v as f64;
            }
        }
        bead_score(m, cov, s, (i - a as usize, i, j - b as usize, j), sc)
    };
    // backward pass for the posteriors
    let mut bwd = vec![f64::NEG_INFINITY; total];
    bwd[idx(na, nb)] = 0.0;
    for i in (0..=na).rev() {
        for j in (band.lo[i]..=band.hi[i]).rev() {
            if i == na && j == nb {
                continue;
            }
            let mut acc = f64::NEG_INFINITY;
            for &s in &m.shapes {
                let (a, b) = SHAPES[s];
                let (a, b) = (a as usize, b as usize);
                if i + a > na || j + b > nb || !band.contains(i + a, j + b) {
                    continue;
                }
                let n = idx(i + a, j + b);
                if bwd[n] == f64::NEG_INFINITY {
                    continue;
                }
                let score = score_of(i + a, j + b, s, &mut sc);
                acc = logaddexp(acc, bwd[n] + score);
            }
            bwd[idx(i, j)] = acc;
        }
    }
    let z = fwd[idx(na, nb)];
    // backtrack
    let mut beads = Vec::new();
    let (mut i, mut j) = (na, nb);
    while i > 0 || j > 0 {
        let s = back[idx(i, j)];
        if s == u8::MAX {
            break; // unreachable: the band always joins the corners
        }
        let (a, b) = SHAPES[s as usize];
        let (a, b) = (a as usize, b as usize);
        let score = score_of(i, j, s as usize, &mut sc);
        let lp = fwd[idx(i - a, j - b)] + score + bwd[idx(i, j)] - z;
        beads.push(PathBead {
            a: (i - a, i),
            b: (j - b, j),
            shape: s as usize,
            score,
            posterior: lp.exp().clamp(0.0, 1.0),
        });
        i -= a;
        j -= b;
    }
    beads.reverse();
    beads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Tokenized;
    use crate::lexicon::Lexicon;
    use crate::model::Anchors;
    use polytm_text::lang::Lang;

    fn docs(n: usize) -> (Vec<String>, Vec<String>) {
        // numbers make every sentence recognisable; B merges every 5th pair
        let a: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "In {} there were {} cases and {} deaths.",
                    1000 + i,
                    7 * i + 3,
                    11 * i + 5
                )
            })
            .collect();
        let mut b = Vec::new();
        let mut i = 0;
        while i < n {
            if i % 5 == 4 && i + 1 < n {
                b.push(format!("{} {}", a[i], a[i + 1]));
                i += 2;
            } else {
                b.push(a[i].clone());
                i += 1;
            }
        }
        (a, b)
    }

    fn run(n: usize, full: bool) -> Vec<PathBead> {
        let (a, b) = docs(n);
        let ra: Vec<&str> = a.iter().map(String::as_str).collect();
        let rb: Vec<&str> = b.iter().map(String::as_str).collect();
        let ta = Tokenized::new(&Lang::en(), &ra);
        let tb = Tokenized::new(&Lang::parse("de").unwrap(), &rb);
        let lex = Lexicon::new();
        let m = Model::new(&ta, &tb, &[&lex], &Anchors::default());
        if full {
            let band = Band::full(ta.len(), tb.len());
            let cov = Coverage::build(&m, &band);
            best_path(&m, &cov, &band)
        } else {
            let opts = crate::Options {
                second_pass: false,
                full_grid: false,
            };
            crate::align_pair(&ta, &tb, &crate::PairEvidence::default(), opts)
        }
    }

    fn check(path: &[PathBead], n: usize) {
        let (mut i, mut j) = (0, 0);
        for (expect_j, b) in path.iter().enumerate() {
            assert_eq!((b.a.0, b.b.0), (i, j));
            i = b.a.1;
            j = b.b.1;
            // the merges are found: A i, i+1 with one B sentence
            let merged = b.a.0 % 5 == 4 && b.a.1 - b.a.0 == 2;
            assert!(b.a.1 - b.a.0 == 1 || merged, "{b:?}");
            assert_eq!(b.b, (expect_j, expect_j + 1), "{b:?}");
            assert!(b.posterior > 0.5 && b.posterior <= 1.0, "{b:?}");
        }
        assert_eq!(i, n);
    }

    #[test]
    fn full_grid_finds_merges() {
        check(&run(40, true), 40);
    }

    #[test]
    fn coarse_to_fine_holds_the_path() {
        // 800 × 640 sentences: more than the whole grid searched at once
        let path = run(800, false);
        check(&path, 800);
    }

    #[test]
    fn band_around_a_path_is_monotone_and_joins_the_corners() {
        let corners = [(0, 0), (2, 1), (5, 5), (9, 6), (10, 10)];
        let b = Band::around(&corners, 10, 10, 1);
        for &(i, j) in &corners {
            assert!(b.contains(i, j), "({i},{j}) {b:?}");
        }
        for i in 1..=10 {
            assert!(b.lo[i] >= b.lo[i - 1] && b.hi[i] >= b.hi[i - 1]);
            assert!(b.lo[i] <= b.hi[i]);
        }
        assert_eq!(b.lo[0], 0);
        assert_eq!(b.hi[10], 10);
        assert!(b.cells() < 121);
        assert_eq!(Band::full(3, 4).cells(), 20);
    }
}
