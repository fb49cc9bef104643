//! Class and item analysis, pure: the rules that turn a class's finished
//! attempts into statistics per question (facility, discrimination, option
//! counts, time), flags for questions that look broken, and the class's
//! score distribution against the pass mark. Plain data in, plain data
//! out: no I/O, no clock. Every formula is stated in words in the doc
//! comments, so the page that shows the numbers can say how they were made.

pub mod class;
pub mod distribution;
pub mod flags;
pub mod items;
pub mod tally;

pub use distribution::{Bin, Distribution, distribution};
pub use flags::Flag;
pub use items::{Attempt, ItemKey, ItemResponse, ItemStats, OptionCount, analyse};
pub use tally::{Tallies, Tally};
