"""The engines: one question each (eligibility, retirement, inequities, compare, timeline, reform), no caches."""
