"""The offline front end: every feature over the same services, no Discord token needed
(``console.console.Console``); ``console.markdown`` draws an answer for a terminal alone, so
``bot.py ask`` need not load the rest."""
