"""OpsDesk 运营台: the daily operations desk of a multi-channel online pharmacy."""
