//! Draws the questions of an attempt from a bank, reproducibly from a seed.

use std::collections::HashMap;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// Splits `n` items over `weights` by the largest-remainder method: each
/// part gets the floor of its exact share, and the items left over go to the
/// largest remainders (ties to the larger weight, then the earlier part).
pub fn largest_remainder(weights: &[u32], n: u32) -> Vec<u32> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<(u64, u64)> = weights
        .iter()
        .map(|&w| {
            let share = u64::from(w) * u64::from(n);
            (share / total, share % total)
        })
        .collect();
    let mut counts: Vec<u32> = exact.iter().map(|&(q, _)| q as u32).collect();
    let left = n - counts.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(weights[b].cmp(&weights[a])).then(a.cmp(&b)));
    for &i in order.iter().take(left as usize) {
        counts[i] += 1;
    }
    counts
}

/// A question the draw may pick.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub domain: String,
    pub case: Option<String>,
    /// Lower is drawn first. For a mock: `i64::MIN` for never seen, else
    /// when it was last seen, so the least recently seen come next.
    pub priority: i64,
}

#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub count: u32,
    /// Domains in the draw with their weights; questions of other domains
    /// are never drawn.
    pub domains: &'a [(String, u32)],
    /// How many of the drawn items are unscored; each domain's share follows
    /// the weights, so the scored ones do too.
    pub unscored: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// Index into the candidates.
    pub candidate: usize,
    pub scored: bool,
}

/// A question alone, or a whole case study: the draw never splits one. A
/// case study's questions may belong to several domains; each counts
/// against its own domain's quota.
struct Unit {
    members: Vec<usize>,
    priority: i64,
}

impl Unit {
    /// Whether every member fits what is left of its domain's quota.
    fn fits(&self, candidates: &[Candidate], remaining: &HashMap<&str, u32>) -> bool {
        let mut need: HashMap<&str, u32> = HashMap::new();
        for &m in &self.members {
            *need.entry(candidates[m].domain.as_str()).or_default() += 1;
        }
        need.iter().all(|(d, n)| remaining.get(d).is_some_and(|left| n <= left))
    }
}

/// Draws up to `request.count` candidates: per-domain counts by largest
/// remainder, lowest priority first within a domain (random among equals),
/// case studies whole. If a domain runs short, other domains fill the gap.
pub fn draw(candidates: &[Candidate], request: &Request) -> Vec<Drawn> {
    let mut rng = ChaCha8Rng::seed_from_u64(request.seed);
    let mut units = group_units(candidates, request.domains);
    units.shuffle(&mut rng);
    units.sort_by_key(|u| u.priority);

    let weights: Vec<u32> = request.domains.iter().map(|(_, w)| *w).collect();
    let quotas = largest_remainder(&weights, request.count);
    let mut remaining: HashMap<&str, u32> =
        request.domains.iter().map(|(code, _)| code.as_str()).zip(quotas.iter().copied()).collect();

    let mut taken = vec![false; units.len()];
    let mut picked: Vec<usize> = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        if unit.fits(candidates, &remaining) {
            for &m in &unit.members {
                *remaining.get_mut(candidates[m].domain.as_str()).expect("units hold only drawn domains") -= 1;
            }
            taken[i] = true;
            picked.push(i);
        }
    }
    // A domain with too few questions (or only case studies too big for
    // what is left of its quota) leaves room the others fill.
    let mut left = request.count - picked.iter().map(|&i| units[i].members.len() as u32).sum::<u32>();
    for (i, unit) in units.iter().enumerate() {
        if !taken[i] && unit.members.len() as u32 <= left {
            left -= unit.members.len() as u32;
            taken[i] = true;
            picked.push(i);
        }
    }
    picked.shuffle(&mut rng);

    let unscored = pick_unscored(candidates, &units, &picked, request, &mut rng);
    picked
        .iter()
        .flat_map(|&u| units[u].members.iter().map(move |&c| (u, c)))
        .map(|(u, candidate)| Drawn { candidate, scored: !unscored.contains(&(u, candidate)) })
        .collect()
}

fn group_units(candidates: &[Candidate], domains: &[(String, u32)]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut case_unit: HashMap<&str, usize> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        if !domains.iter().any(|(code, _)| *code == c.domain) {
            continue;
        }
        match c.case.as_deref().and_then(|case| case_unit.get(case).map(|&u| (case, u))) {
            Some((_, u)) => {
                units[u].members.push(i);
                units[u].priority = units[u].priority.min(c.priority);
            }
            None => {
                if let Some(case) = c.case.as_deref() {
                    case_unit.insert(case, units.len());
                }
                units.push(Unit { members: vec![i], priority: c.priority });
            }
        }
    }
    units
}

/// Marks `request.unscored` drawn items unscored, split over domains by
/// weight, preferring questions outside case studies.
fn pick_unscored(
    candidates: &[Candidate],
    units: &[Unit],
    picked: &[usize],
    request: &Request,
    rng: &mut ChaCha8Rng,
) -> Vec<(usize, usize)> {
    if request.unscored == 0 {
        return Vec::new();
    }
    let weights: Vec<u32> = request.domains.iter().map(|(_, w)| *w).collect();
    let shares = largest_remainder(&weights, request.unscored);
    let mut chosen = Vec::new();
    for ((code, _), share) in request.domains.iter().zip(shares) {
        let mut pool: Vec<(usize, usize, bool)> = picked
            .iter()
            .flat_map(|&u| units[u].members.iter().map(move |&c| (u, c, units[u].members.len() > 1)))
            .filter(|&(_, c, _)| candidates[c].domain == *code)
            .collect();
        pool.shuffle(rng);
        pool.sort_by_key(|&(_, _, in_case)| in_case);
        chosen.extend(pool.into_iter().take(share as usize).map(|(u, c, _)| (u, c)));
    }
    chosen
}

/// The order in which `len` options are shown, from a seed. Never the file
/// order when there is another, so an ordering item never starts solved.
pub fn shuffled_order(len: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..len).collect();
    if len < 2 {
        return order;
    }
    loop {
        order.shuffle(&mut rng);
        if order.iter().enumerate().any(|(i, &o)| i != o) {
            return order;
        }
    }
}

#[cfg(test)]
mod tests;
