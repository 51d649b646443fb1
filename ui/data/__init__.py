"""Moving data in and out: spreadsheet import and list export."""
