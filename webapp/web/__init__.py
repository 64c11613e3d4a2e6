"""Request plumbing: security headers, the input guard, safe redirects, URL converters and JSON parsing."""
