"""The class poll of `tutor demo --poll`: the room answers the class question from its phones.

`room` holds the state (the question on the screen, the answers by random browser token, the
tallies, the results) and needs no web library; `server` serves it with aiohttp in a thread of
its own; `page` is the one self-contained page a student's browser loads. Nothing here imports
Textual or Rich: the demo's screens draw the tallies (tutor/render/poll.py).
"""
