"""The interactive questionnaire: questions from the rulebook, asked through an injected terminal.

flow.Questionnaire is the logic; store reads and writes the answers file. The real terminal
(cli.terminal.RichTerminal) and the session that decides where files go live in cli/.
"""

from fwadvisor.questionnaire.flow import Questionnaire
from fwadvisor.questionnaire.plan import State
from fwadvisor.questionnaire.views import QuestionView, ReviewRow, Terminal

__all__ = ["QuestionView", "Questionnaire", "ReviewRow", "State", "Terminal"]
