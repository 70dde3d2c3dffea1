//! The referee (being written).
