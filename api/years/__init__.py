"""The toeslag year cycle (issue #15): a household lives in three years at once — next year's
voorschot from December, this year's advances, and past years open until their definitieve
berekening."""
