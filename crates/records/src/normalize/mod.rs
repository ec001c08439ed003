//! Cell values to typed fields: each module reads one kind of value in the forms clerks
//! write it, and says plainly when it cannot.

pub mod address;
pub mod date;
pub mod ethnicity;
pub mod name;
pub mod sex;
pub mod status;
