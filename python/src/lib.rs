//! `takt._takt`: the Rust half of the `takt` Python package (pyo3). The Python half
//! (`python/takt/`) gives it its public shape: `takt.load`, `takt.solve`, `takt.Result`, ...
//!
//! Everything here calls the library through its high-level entry points (load, the solver
//! choice of `takt solve`, the referee, the repair, scenarios, the report), so the binding does
//! not follow the library's internals. Schedules cross the boundary as records (dicts); going
//! back in, the Python side serialises them to JSON, which the library's own schedule reader
//! parses (JSON is YAML's flow syntax), errors and places included.

mod commands;
mod errors;
mod instance;
mod records;
mod solve;

use pyo3::prelude::*;

#[pymodule]
fn _takt(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("InputError", py.get_type::<errors::py::InputError>())?;
    m.add("SolveError", py.get_type::<errors::py::SolveError>())?;
    m.add_class::<instance::Instance>()?;
    m.add_function(wrap_pyfunction!(instance::_instance_from_text, m)?)?;
    m.add_function(wrap_pyfunction!(instance::load_path, m)?)?;
    m.add_function(wrap_pyfunction!(solve::solve, m)?)?;
    m.add_function(wrap_pyfunction!(commands::check, m)?)?;
    m.add_function(wrap_pyfunction!(commands::reschedule, m)?)?;
    m.add_function(wrap_pyfunction!(commands::apply_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(commands::report, m)?)?;
    m.add_function(wrap_pyfunction!(commands::bench_set, m)?)?;
    m.add_function(wrap_pyfunction!(commands::read_schedule, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
