"""The embedded AWS emulator: moto in server mode, corrected where moto is laxer than AWS, with
log events flowing through metric filters into metric data and alarm states. An extra (`[local]`)."""
