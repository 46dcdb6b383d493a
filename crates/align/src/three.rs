//! Joining pairwise alignments to a pivot into multi-way units.
//!
//! Each other document was aligned to the pivot (the first document).
//! A unit is a smallest group of pivot sentences that no pairwise bead
//! crosses: if Chinese merges pivot sentences 3 and 4 while Russian keeps
//! them apart, the unit is pivot 3–4 with its Russian 3–4 and its Chinese
//! line, so every language of a unit translates every other one. Sentences
//! of another document with no pivot counterpart (omissions) become units
//! of their own, at their place. Every sentence of every document is in
//! exactly one unit, in order.

use super::Bead;
use super::search::PathBead;

/// Combine the alignments `pairs[k]` (pivot × document k+1) of documents
/// with `lens` sentences into units.
pub fn combine(lens: &[usize], pairs: &[Vec<PathBead>]) -> Vec<Bead> {
    let n = lens.len();
    let na = lens.first().copied().unwrap_or(0);
    // group boundaries: pivot positions where every pairwise alignment
    // has a bead boundary
    let mut cut = vec![true; na + 1];
    for p in pairs {
        let mut here = vec![false; na + 1];
        here[0] = true;
        here[na] = true;
        for b in p {
            here[b.a.0] = true;
            here[b.a.1] = true;
        }
        // inside a bead with pivot sentences there is no boundary
        for b in p {
            for x in here.iter_mut().take(b.a.1).skip(b.a.0 + 1) {
                *x = false;
            }
        }
        for (c, h) in cut.iter_mut().zip(&here) {
            *c &= *h;
        }
    }
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, &c) in cut.iter().enumerate().skip(1) {
        if c {
            groups.push((start, i));
            start = i;
        }
    }
    // per document: its range in each group, and the units of its own
    // sentences that come before each group (the last entry: after all)
    let g = groups.len();
    let mut ranges: Vec<Vec<Option<(usize, usize)>>> = vec![vec![None; g]; n];
    let mut extras: Vec<Vec<Vec<(usize, usize, f64)>>> = vec![vec![Vec::new(); g + 1]; n];
    let mut conf = vec![1.0f64; g];
    for (k, p) in pairs.iter().enumerate() {
        let doc = k + 1;
        let mut gi = 0;
        let mut held: Vec<(usize, usize, f64)> = Vec::new();
        let mut started = false;
        for b in p {
            if b.a.0 == b.a.1 {
                // a sentence without a pivot counterpart
                held.push((b.b.0, b.b.1, b.posterior));
                continue;
            }
            while gi < g && groups[gi].1 <= b.a.0 {
                // the group is over: what was held after it goes before the next
                extras[doc][gi + 1].append(&mut held);
                gi += 1;
                started = false;
            }
            if gi >= g {
                break;
            }
            if started {
                // omissions between two beads of the same group belong to it
                for h in held.drain(..) {
                    let r = ranges[doc][gi].get_or_insert((h.0, h.1));
                    r.0 = r.0.min(h.0);
                    r.1 = r.1.max(h.1);
                }
            } else {
                extras[doc][gi].append(&mut held);
            }
            started = true;
            conf[gi] = conf[gi].min(b.posterior);
            if b.b.0 < b.b.1 {
                let r = ranges[doc][gi].get_or_insert((b.b.0, b.b.1));
                r.0 = r.0.min(b.b.0);
                r.1 = r.1.max(b.b.1);
            }
        }
        extras[doc][g.min(gi + 1)].append(&mut held);
    }
    let mut out = Vec::new();
    let mut pos = vec![0usize; n];
    let emit_extras = |out: &mut Vec<Bead>, pos: &mut Vec<usize>, slot: usize| {
        for (doc, ex) in extras.iter().enumerate().skip(1) {
            for &(s, e, c) in &ex[slot] {
                let mut sides = vec![(0, 0); n];
                for (d, side) in sides.iter_mut().enumerate() {
                    *side = (pos[d], pos[d]);
                }
                sides[doc] = (s, e);
                pos[doc] = e;
                out.push(Bead {
                    sides,
                    confidence: c,
                });
            }
        }
    };
    for (gi, &(a0, a1)) in groups.iter().enumerate() {
        emit_extras(&mut out, &mut pos, gi);
        let mut sides = vec![(a0, a1)];
        pos[0] = a1;
        for (doc, r) in ranges.iter().enumerate().skip(1) {
            let side = match r[gi] {
                Some((s, e)) => {
                    pos[doc] = e;
                    (s, e)
                }
                None => (pos[doc], pos[doc]),
            };
            sides.push(side);
        }
        out.push(Bead {
            sides,
            confidence: conf[gi],
        });
    }
    emit_extras(&mut out, &mut pos, g);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pb(a: (usize, usize), b: (usize, usize)) -> PathBead {
        PathBead {
            a,
            b,
            shape: 0,
            score: 0.0,
            posterior: 0.9,
        }
    }

    fn fmt(beads: &[Bead]) -> Vec<String> {
        beads
            .iter()
            .map(|b| {
                b.sides
                    .iter()
                    .map(|(s, e)| format!("{:?}", (*s..*e).collect::<Vec<_>>()))
                    .collect::<Vec<_>>()
                    .join(":")
            })
            .collect()
    }

    #[test]
    fn two_way_is_the_pairwise_alignment() {
        let ab = vec![pb((0, 2), (0, 1)), pb((2, 2), (1, 2)), pb((2, 3), (2, 4))];
        let got = combine(&[3, 4], &[ab]);
        assert_eq!(fmt(&got), ["[0, 1]:[0]", "[]:[1]", "[2]:[2, 3]"]);
    }

    #[test]
    fn three_way_groups_are_closed_under_both_alignments() {
        // en 0..5; ru merges en 1-2; zh merges en 2-3 and drops en 4
        let ru = vec![
            pb((0, 1), (0, 1)),
            pb((1, 3), (1, 2)),
            pb((3, 4), (2, 3)),
            pb((4, 5), (3, 4)),
        ];
        let zh = vec![
            pb((0, 1), (0, 1)),
            pb((1, 2), (1, 2)),
            pb((2, 4), (2, 3)),
            pb((4, 5), (3, 3)),
        ];
        let got = combine(&[5, 4, 3], &[ru, zh]);
        assert_eq!(
            fmt(&got),
            ["[0]:[0]:[0]", "[1, 2, 3]:[1, 2]:[1, 2]", "[4]:[3]:[]"]
        );
    }

    #[test]
    fn omissions_keep_their_place_and_every_sentence_is_used_once() {
        let ru = vec![pb((0, 0), (0, 1)), pb((0, 1), (1, 2)), pb((1, 2), (2, 3))];
        let zh = vec![pb((0, 1), (0, 1)), pb((1, 2), (1, 2)), pb((2, 2), (2, 3))];
        let got = combine(&[2, 3, 3], &[ru, zh]);
        assert_eq!(
            fmt(&got),
            ["[]:[0]:[]", "[0]:[1]:[0]", "[1]:[2]:[1]", "[]:[]:[2]"]
        );
        for d in 0..3 {
            let mut next = 0;
            for b in &got {
                assert_eq!(b.sides[d].0, next);
                next = b.sides[d].1;
            }
        }
    }
}
