//! The monthly report as an Excel workbook.
