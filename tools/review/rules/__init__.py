"""Rule families; importing this package registers every check by rule id."""

from review.rules import after_zhongben, assets, criminal, deadlines, interview, process

__all__ = ["after_zhongben", "assets", "criminal", "deadlines", "interview", "process"]
