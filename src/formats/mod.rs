//! Benchmark file readers (being written).
