"""Campaigns: reports linked across staff by a shared sender identity, contact, firm, near-identical text or photo.

indicators.py finds what a report can share (pure), minhash.py compares message text, linking.py decides which
shared keys link and links a whole batch, persist.py does the same one report at a time on the database,
photos.py adds the sender's photo ("one face, many names", decision 0076), and summary.py describes a campaign
for the API, pages and alerts.
"""
