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

    #[inline]
    fn contains(&self, i: usize, j: usize) -> bool {
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
    let m = a.max(b);
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// The best path in the band, with the posterior of each of its beads.
pub fn best_path(m: &Model, cov: &Coverage, band: &Band) -> Vec<PathBead> {
    let na = band.na();
    let nb = band.nb;
    let mut row = Vec::with_capacity(na + 2);
    let mut total = 0usize;
    for i in 0..=na {
        row.push(total);
        total += band.hi[i] + 1 - band.lo[i];
    }
    let idx = |i: usize, j: usize| row[i] + j - band.lo[i];
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
            let mut best = f64::NEG_INFINITY;
            let mut arg = u8::MAX;
            let mut f = f64::NEG_INFINITY;
            for (s, &(a, b)) in SHAPES.iter().enumerate() {
                let (a, b) = (a as usize, b as usize);
                if a > i || b > j || !band.contains(i - a, j - b) {
                    continue;
                }
                let p = idx(i - a, j - b);
                if vit[p] == f64::NEG_INFINITY {
                    continue;
                }
                let score = bead_score(m, cov, s, (i - a, i, j - b, j), &mut sc);
                let v = vit[p] + score;
                if v > best {
                    best = v;
                    arg = s as u8;
                }
                f = logaddexp(f, fwd[p] + score);
            }
            let c = idx(i, j);
            vit[c] = best;
            back[c] = arg;
            fwd[c] = f;
        }
    }
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
        beads.push(PathBead {
            a: (i - a, i),
            b: (j - b, j),
            shape: s as usize,
            score: 0.0,
            posterior: 0.0,
        });
        i -= a;
        j -= b;
    }
    beads.reverse();
    // backward pass for the posteriors
    let mut bwd = vec![f64::NEG_INFINITY; total];
    bwd[idx(na, nb)] = 0.0;
    for i in (0..=na).rev() {
        for j in (band.lo[i]..=band.hi[i]).rev() {
            if i == na && j == nb {
                continue;
            }
            let mut acc = f64::NEG_INFINITY;
            for (s, &(a, b)) in SHAPES.iter().enumerate() {
                let (a, b) = (a as usize, b as usize);
                if i + a > na || j + b > nb || !band.contains(i + a, j + b) {
                    continue;
                }
                let n = idx(i + a, j + b);
                if bwd[n] == f64::NEG_INFINITY {
                    continue;
                }
                let score = bead_score(m, cov, s, (i, i + a, j, j + b), &mut sc);
                acc = logaddexp(acc, bwd[n] + score);
            }
            bwd[idx(i, j)] = acc;
        }
    }
    let z = fwd[idx(na, nb)];
    for bd in &mut beads {
        let score = bead_score(m, cov, bd.shape, (bd.a.0, bd.a.1, bd.b.0, bd.b.1), &mut sc);
        bd.score = score;
        let lp = fwd[idx(bd.a.0, bd.b.0)] + score + bwd[idx(bd.a.1, bd.b.1)] - z;
        bd.posterior = lp.exp().clamp(0.0, 1.0);
    }
    beads
}

/// A coarse band for long documents: blocks of sentences compared as
/// hashed bags of evidence keys, aligned by dynamic time warping.
pub fn coarse_band(m: &Model, na: usize, nb: usize) -> Band {
    const DIM: usize = 256;
    let cells_goal = 400_000f64;
    let bsz = (((na as f64) * (nb as f64) / cells_goal).sqrt().ceil() as usize).max(1);
    let (sa, sb) = m.sentences();
    let vecs = |side: &super::model::SideModel, sents: &[Vec<u32>], chars: &[u32]| {
        let nblk = sents.len().div_ceil(bsz);
        let mut v = vec![[0f32; DIM]; nblk];
        let mut len = vec![0f64; nblk];
        for (i, s) in sents.iter().enumerate() {
            let blk = i / bsz;
            len[blk] += chars[i] as f64;
            for &t in s {
                let keys = &side.keys[t as usize];
                if keys.is_empty() {
                    continue;
                }
                let f = side.f[t as usize].max(1e-6) as f64;
                let w = ((-f.ln()).max(0.0) * side.p[t as usize] as f64) as f32 / keys.len() as f32;
                for &k in keys {
                    let h = (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    let d = (h >> 40) as usize % DIM;
                    let sign = if h >> 63 == 1 { 1.0 } else { -1.0 };
                    v[blk][d] += sign * w;
                }
            }
        }
        for x in &mut v {
            let n = x.iter().map(|y| y * y).sum::<f32>().sqrt();
            if n > 0.0 {
                for y in x.iter_mut() {
                    *y /= n;
                }
            }
        }
        (v, len)
    };
    let (va, la) = vecs(&m.a, sa, &m.a_chars);
    let (vb, lb) = vecs(&m.b, sb, &m.b_chars);
    let (ca, cb) = (va.len(), vb.len());
    if ca == 0 || cb == 0 {
        return Band::full(na, nb);
    }
    // DTW over blocks: cost = 1 - cos + length mismatch
    let cost = |i: usize, j: usize| -> f64 {
        let dot: f32 = va[i].iter().zip(&vb[j]).map(|(x, y)| x * y).sum();
        let r = ((lb[j] + 1.0) / (m.ratio * la[i] + 1.0)).ln();
        1.0 - dot as f64 + 0.5 * r.abs().min(2.0)
    };
    let mut d = vec![f64::INFINITY; ca * cb];
    let mut from = vec![0u8; ca * cb];
    for i in 0..ca {
        let costs: Vec<f64> = (0..cb).into_par_iter().map(|j| cost(i, j)).collect();
        for j in 0..cb {
            let c = costs[j];
            let (mut best, mut arg) = (f64::INFINITY, 0u8);
            if i == 0 && j == 0 {
                best = 0.0;
            }
            if i > 0 && j > 0 && d[(i - 1) * cb + j - 1] < best {
                best = d[(i - 1) * cb + j - 1];
                arg = 1;
            }
            if i > 0 && d[(i - 1) * cb + j] + 0.2 < best {
                best = d[(i - 1) * cb + j] + 0.2;
                arg = 2;
            }
            if j > 0 && d[i * cb + j - 1] + 0.2 < best {
                best = d[i * cb + j - 1] + 0.2;
                arg = 3;
            }
            d[i * cb + j] = best + c;
            from[i * cb + j] = arg;
        }
    }
    let mut lo = vec![usize::MAX; na + 1];
    let mut hi = vec![0usize; na + 1];
    let (mut i, mut j) = (ca - 1, cb - 1);
    loop {
        // block (i, j) on the path: its rows may go with its columns
        for r in i * bsz..=((i + 1) * bsz).min(na) {
            lo[r] = lo[r].min(j * bsz);
            hi[r] = hi[r].max(((j + 1) * bsz).min(nb));
        }
        match from[i * cb + j] {
            1 => {
                i -= 1;
                j -= 1;
            }
            2 => i -= 1,
            3 => j -= 1,
            _ => break,
        }
    }
    for r in 0..=na {
        if lo[r] == usize::MAX {
            lo[r] = if r > 0 { lo[r - 1] } else { 0 };
            hi[r] = if r > 0 { hi[r - 1] } else { 0 };
        }
    }
    Band::from_raw(lo, hi, na, nb, bsz.max(4))
}

/// The full grid, or a coarse band when the documents are long.
pub fn first_band(m: &Model, na: usize, nb: usize) -> Band {
    if (na + 1) * (nb + 1) <= 400_000 {
        Band::full(na, nb)
    } else {
        coarse_band(m, na, nb)
    }
}
