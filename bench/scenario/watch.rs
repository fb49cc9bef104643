//! The live view: every 5 s the server's /metrics beside the generator's
//! own counts, and the one exact comparison at the quiet moment.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::server::{self, Figures};
use super::{Run, load_average};

/// The quiet moment: every examinee has started and none has submitted, so
/// the server's attempts in progress must equal the generator's count.
pub struct Quiet {
    generator: u64,
    figures: Option<Figures>,
    /// Whether no start or submit happened during the scrape.
    still: bool,
}

pub fn report_quiet(quiet: &Option<Quiet>) -> Option<bool> {
    match quiet {
        None => {
            println!("- quiet moment: none (a submit came before the last start)");
            None
        }
        Some(Quiet { figures: None, .. }) => {
            println!("- quiet moment (all started, none submitted): no metrics");
            None
        }
        Some(Quiet { generator, figures: Some(f), still }) => {
            let ok = *still && f.in_progress == Some(*generator as f64);
            println!(
                "- quiet moment (all started, none submitted): in progress {} (generator {generator}){}: {}",
                f.in_progress.map_or("?".into(), |v| v.to_string()),
                if *still { "" } else { ", but the counts moved during the scrape" },
                if ok { "agree" } else { "DISAGREE" }
            );
            Some(ok)
        }
    }
}

/// Every 5 s, the server's figures beside the generator's; once, at the
/// quiet moment, the exact comparison. Ends when every examinee is done.
pub async fn watch(run: Arc<Run>, client: reqwest::Client, url: String, wall: Instant, pid: u32) -> Option<Quiet> {
    let examinees = run.sitting.examinees as u64;
    let counts = &run.counts;
    let mut quiet = None;
    let mut looked_for_quiet = false;
    let mut next_print = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        tick.tick().await;
        let (started, submitted) = (counts.started.load(Ordering::SeqCst), counts.submitted.load(Ordering::SeqCst));
        if !looked_for_quiet && started == examinees {
            looked_for_quiet = true;
            if submitted == 0 {
                let figures = server::scrape(&client, &url).await;
                let still =
                    counts.started.load(Ordering::SeqCst) == started && counts.submitted.load(Ordering::SeqCst) == 0;
                quiet = Some(Quiet { generator: started, figures, still });
            }
        }
        if Instant::now() >= next_print {
            next_print += Duration::from_secs(5);
            let saves = counts.saves.load(Ordering::Relaxed);
            let figures = server::scrape(&client, &url).await;
            let rss = server::memory(pid).map_or(0.0, |(rss, _)| rss);
            println!(
                "{:>5.0} s | load {} | generator: in progress {}, submitted {submitted}, saves {saves} | server RSS {rss:.0} MB | {}",
                wall.elapsed().as_secs_f64(),
                load_average(),
                started - submitted,
                figures.map_or("no metrics".to_string(), |f| f.show())
            );
        }
        if counts.done.load(Ordering::SeqCst) == examinees {
            return quiet;
        }
    }
}
