"""The ground floor: what every app of Netlearn builds on."""
