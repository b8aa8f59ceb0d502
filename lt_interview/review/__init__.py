"""The review's use cases: setting a review up, changing its settings, adding people, packing
conversation files, the chronology, purging, checking a file. They stand on storage and the domain,
beside merge, type-up, analysis and export; none imports merge (issue 21)."""
