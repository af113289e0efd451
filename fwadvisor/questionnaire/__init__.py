"""The interactive questionnaire: questions from the rulebook, asked through an injected terminal.

flow.Questionnaire is the logic; terminal.RichTerminal the real terminal; store reads and
writes the answers file; session decides where files go.
"""

from fwadvisor.questionnaire.flow import Questionnaire
from fwadvisor.questionnaire.plan import State
from fwadvisor.questionnaire.views import QuestionView, ReviewRow, Terminal

__all__ = ["QuestionView", "Questionnaire", "ReviewRow", "State", "Terminal"]
