//! Learning from a first pass: the beads the first pass is sure of teach
//! the second pass the document pair's own length ratio and variance, how
//! often each bead shape occurs, how often each word's translation is
//! found, and new word pairs (IBM Model 1 in both directions, kept where
//! both agree).

use std::collections::HashMap;

use super::features::{Kind, Tokenized};
use super::lexicon::Lexicon;
use super::model::{Model, SHAPES};
use super::search::PathBead;

/// Beads the first pass is sure of.
fn confident(path: &[PathBead], min: f64) -> impl Iterator<Item = &PathBead> {
    path.iter()
        .filter(move |b| b.posterior >= min && b.a.0 < b.a.1 && b.b.0 < b.b.1)
}

/// Word pairs learnt by IBM Model 1 from the confident beads of a first
/// pass, in the aligner's forms (A form → B form).
pub fn ibm1(a: &Tokenized, b: &Tokenized, path: &[PathBead]) -> Lexicon {
    let groups: Vec<(Vec<usize>, Vec<usize>)> = confident(path, 0.6)
        .map(|bd| ((bd.a.0..bd.a.1).collect(), (bd.b.0..bd.b.1).collect()))
        .collect();
    let mut lex = Lexicon::new();
    for (x, y, w) in word_pairs(a, b, &groups, 2, 0.2) {
        lex.add(
            a.types[x as usize].form.clone(),
            b.types[y as usize].form.clone(),
            w,
        );
    }
    lex
}

/// IBM Model 1 in both directions over groups of sentences known to be
/// translations (`(sentences of A, sentences of B)`): the type pairs that
/// co-occur at least `min_cooc` times and translate each other with
/// probability at least `min_t` both ways, with the geometric mean of
/// both as weight.
pub fn word_pairs(
    a: &Tokenized,
    b: &Tokenized,
    groups: &[(Vec<usize>, Vec<usize>)],
    min_cooc: u32,
    min_t: f32,
) -> Vec<(u32, u32, f32)> {
    let content = |t: &Tokenized, ty: u32| {
        matches!(t.types[ty as usize].kind, Kind::Word | Kind::Han)
            && t.type_count[ty as usize] >= min_cooc
    };
    let mut pairs: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    for (ga, gb) in groups {
        let sa: Vec<u32> = ga
            .iter()
            .flat_map(|&i| a.sentences[i].iter().copied())
            .filter(|&t| content(a, t))
            .collect();
        let sb: Vec<u32> = gb
            .iter()
            .flat_map(|&j| b.sentences[j].iter().copied())
            .filter(|&t| content(b, t))
            .collect();
        if !sa.is_empty() && !sb.is_empty() && sa.len() * sb.len() <= 10_000 {
            pairs.push((sa, sb));
        }
    }
    if pairs.len() < 3 {
        return Vec::new();
    }
    // co-occurrence counts (in how many groups)
    let mut cooc: HashMap<(u32, u32), u32> = HashMap::new();
    for (sa, sb) in &pairs {
        let mut ua = sa.clone();
        ua.sort_unstable();
        ua.dedup();
        let mut ub = sb.clone();
        ub.sort_unstable();
        ub.dedup();
        for &x in &ua {
            for &y in &ub {
                *cooc.entry((x, y)).or_default() += 1;
            }
        }
    }
    let ab = model1(&pairs, &cooc, false);
    let ba = model1(&pairs, &cooc, true);
    let mut out = Vec::new();
    for (&(x, y), &n) in &cooc {
        if n < min_cooc {
            continue;
        }
        let t1 = ab.get(&(x, y)).copied().unwrap_or(0.0);
        let t2 = ba.get(&(x, y)).copied().unwrap_or(0.0);
        if t1 >= min_t && t2 >= min_t {
            out.push((x, y, (t1 * t2).sqrt()));
        }
    }
    out.sort_by_key(|p| (p.0, p.1));
    out
}

/// IBM Model 1, 6 iterations of EM. Returns t(y|x) (or t(x|y) when
/// `reverse`) keyed by (x, y).
fn model1(
    pairs: &[(Vec<u32>, Vec<u32>)],
    cooc: &HashMap<(u32, u32), u32>,
    reverse: bool,
) -> HashMap<(u32, u32), f32> {
    // dense ids for the co-occurring pairs
    let mut id: HashMap<(u32, u32), u32> = HashMap::with_capacity(cooc.len());
    let mut keys = Vec::with_capacity(cooc.len());
    for &k in cooc.keys() {
        id.insert(k, keys.len() as u32);
        keys.push(k);
    }
    // source word of each pair id, for normalising
    let src_of = |k: (u32, u32)| if reverse { k.1 } else { k.0 };
    let mut t = vec![1.0f32; keys.len()];
    let null = 1e-3f32;
    // per bead: for each target token, the pair ids of its source tokens
    let mut idx: Vec<Vec<Vec<u32>>> = Vec::with_capacity(pairs.len());
    for (sa, sb) in pairs {
        let (src, tgt) = if reverse { (sb, sa) } else { (sa, sb) };
        idx.push(
            tgt.iter()
                .map(|&y| {
                    src.iter()
                        .filter_map(|&x| {
                            let k = if reverse { (y, x) } else { (x, y) };
                            id.get(&k).copied()
                        })
                        .collect()
                })
                .collect(),
        );
    }
    for _ in 0..6 {
        let mut count = vec![0f32; keys.len()];
        for bead in &idx {
            for ids in bead {
                let denom: f32 = null + ids.iter().map(|&e| t[e as usize]).sum::<f32>();
                for &e in ids {
                    count[e as usize] += t[e as usize] / denom;
                }
            }
        }
        let mut total: HashMap<u32, f32> = HashMap::new();
        for (e, &k) in keys.iter().enumerate() {
            *total.entry(src_of(k)).or_default() += count[e];
        }
        for (e, &k) in keys.iter().enumerate() {
            let tot = total.get(&src_of(k)).copied().unwrap_or(0.0);
            t[e] = if tot > 0.0 { count[e] / tot } else { 0.0 };
        }
    }
    keys.into_iter().zip(t).collect()
}

/// Re-estimate the length model, shape priors and the per-type chance of
/// coverage from the first pass (on the second pass's keys).
pub fn estimate(m: &mut Model, path: &[PathBead]) {
    // shapes: counts over the path, with the initial priors as pseudo-counts
    let mut counts = vec![0f64; SHAPES.len()];
    for b in path {
        counts[b.shape] += 1.0;
    }
    let total: f64 = counts.iter().sum();
    let k = 20.0;
    for (s, c) in counts.iter().enumerate() {
        let p0 = m.log_prior[s].exp();
        m.log_prior[s] = ((c + k * p0) / (total + k)).ln();
    }
    // length ratio and variance from confident beads
    let sure: Vec<&PathBead> = confident(path, 0.8).collect();
    if sure.len() >= 5 {
        let (mut ta, mut tb) = (0.0, 0.0);
        for b in &sure {
            ta += (b.a.0..b.a.1).map(|i| m.a_chars[i] as f64).sum::<f64>();
            tb += (b.b.0..b.b.1).map(|j| m.b_chars[j] as f64).sum::<f64>();
        }
        if ta > 0.0 && tb > 0.0 {
            m.ratio = tb / ta;
        }
        let mut d2: Vec<f64> = sure
            .iter()
            .map(|b| {
                let la: f64 = (b.a.0..b.a.1).map(|i| m.a_chars[i] as f64).sum();
                let lb: f64 = (b.b.0..b.b.1).map(|j| m.b_chars[j] as f64).sum();
                m.delta(la, lb).abs()
            })
            .collect();
        d2.sort_by(|x, y| x.total_cmp(y));
        let mad = d2[d2.len() / 2];
        let s = 1.4826 * mad;
        m.s2 = (s * s).clamp(0.5, (m.s2_bg / 2.0).max(0.5));
    }
    // paragraph breaks: how often they agree at bead starts, how often
    // one falls inside a bead
    if let Some(pm) = m.para.as_mut() {
        let mut n = [[0.5f64; 2]; 2];
        let (mut inside, mut positions) = (0.0f64, 0.0f64);
        for b in path.iter().filter(|b| b.a.0 < b.a.1 && b.b.0 < b.b.1) {
            n[pm.a_start[b.a.0] as usize][pm.b_start[b.b.0] as usize] += 1.0;
            for k in b.a.0 + 1..b.a.1 {
                inside += pm.a_start[k] as u8 as f64;
                positions += 1.0;
            }
            for k in b.b.0 + 1..b.b.1 {
                inside += pm.b_start[k] as u8 as f64;
                positions += 1.0;
            }
        }
        let total: f64 = n.iter().flatten().sum();
        let pa = [(n[0][0] + n[0][1]) / total, (n[1][0] + n[1][1]) / total];
        let pb = [(n[0][0] + n[1][0]) / total, (n[0][1] + n[1][1]) / total];
        for x in 0..2 {
            for y in 0..2 {
                pm.llr[x][y] = (n[x][y] / total / (pa[x] * pb[y])).ln().clamp(-4.0, 4.0);
            }
        }
        let breaks = pm.a_start.iter().chain(&pm.b_start).filter(|x| **x).count() as f64;
        let base = breaks / (pm.a_start.len() + pm.b_start.len()) as f64;
        let rate = (inside + 0.5) / (positions + 1.0);
        pm.inside = (rate / base.max(1e-6)).ln().clamp(-6.0, 0.0);
    }
    // chance of coverage per type
    let (sa, sb) = {
        let (x, y) = m.sentences();
        (x.to_vec(), y.to_vec())
    };
    let na = m.a.keys.len();
    let nb = m.b.keys.len();
    let mut a_obs = vec![(0f64, 0f64, 0f64); na]; // (occurrences, covered, chance)
    let mut b_obs = vec![(0f64, 0f64, 0f64); nb];
    for b in confident(path, 0.8) {
        let set = |sents: &[Vec<u32>], keys: &[Vec<u32>], r: (usize, usize)| {
            let mut v: Vec<u32> = (r.0..r.1)
                .flat_map(|i| {
                    sents[i]
                        .iter()
                        .flat_map(|&t| keys[t as usize].iter().copied())
                })
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let ka = set(&sa, &m.a.keys, b.a);
        let kb = set(&sb, &m.b.keys, b.b);
        let n_a: u32 = (b.a.0..b.a.1).map(|i| m.a.n[i]).sum();
        let n_b: u32 = (b.b.0..b.b.1).map(|j| m.b.n[j]).sum();
        for sent in &sa[b.a.0..b.a.1] {
            for &t in sent {
                let keys = &m.a.keys[t as usize];
                if keys.is_empty() {
                    continue;
                }
                let hit = keys.iter().any(|k| kb.binary_search(k).is_ok());
                let q = -(-(m.a.f[t as usize] as f64) * n_b as f64).exp_m1();
                let o = &mut a_obs[t as usize];
                o.0 += 1.0;
                o.1 += hit as u8 as f64;
                o.2 += q;
            }
        }
        for sent in &sb[b.b.0..b.b.1] {
            for &t in sent {
                let keys = &m.b.keys[t as usize];
                if keys.is_empty() {
                    continue;
                }
                let hit = keys.iter().any(|k| ka.binary_search(k).is_ok());
                let q = -(-(m.b.f[t as usize] as f64) * n_a as f64).exp_m1();
                let o = &mut b_obs[t as usize];
                o.0 += 1.0;
                o.1 += hit as u8 as f64;
                o.2 += q;
            }
        }
    }
    let update = |side: &mut super::model::SideModel, obs: &[(f64, f64, f64)]| {
        let kappa = 3.0;
        for (t, &(n, c, q)) in obs.iter().enumerate() {
            if side.p0[t] <= 0.0 || n == 0.0 {
                continue;
            }
            // covered by chance q of the time: subtract it
            let real = (c - q).max(0.0);
            let trials = (n - q).max(0.0);
            let p = (real + kappa * side.p0[t] as f64) / (trials + kappa);
            side.p[t] = p.clamp(0.02, 0.95) as f32;
        }
    };
    update(&mut m.a, &a_obs);
    update(&mut m.b, &b_obs);
    m.a.recompute_base(&sa);
    m.b.recompute_base(&sb);
}

#[cfg(test)]
mod tests {
    use super::*;
    use polytm_text::lang::Lang;

    #[test]
    fn ibm1_learns_word_pairs_that_keep_company() {
        let pairs = [
            ("the red house", "das rote Haus"),
            ("the red car", "das rote Auto"),
            ("a green house", "ein grünes Haus"),
            ("the green car", "das grüne Auto"),
            ("a red house", "ein rotes Haus"),
            ("a green car", "ein grünes Auto"),
        ];
        let ra: Vec<&str> = pairs.iter().map(|p| p.0).collect();
        let rb: Vec<&str> = pairs.iter().map(|p| p.1).collect();
        let ta = Tokenized::new(&Lang::en(), &ra);
        let tb = Tokenized::new(&Lang::parse("de").unwrap(), &rb);
        let groups: Vec<(Vec<usize>, Vec<usize>)> =
            (0..pairs.len()).map(|i| (vec![i], vec![i])).collect();
        let found: Vec<(String, String)> = word_pairs(&ta, &tb, &groups, 2, 0.2)
            .into_iter()
            .map(|(x, y, _)| {
                (
                    ta.types[x as usize].form.clone(),
                    tb.types[y as usize].form.clone(),
                )
            })
            .collect();
        assert!(found.contains(&("hous".into(), "haus".into())), "{found:?}");
        assert!(found.contains(&("car".into(), "auto".into())), "{found:?}");
        assert!(
            !found.contains(&("hous".into(), "auto".into())),
            "{found:?}"
        );
    }
}
