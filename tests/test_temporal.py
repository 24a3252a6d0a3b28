"""Tests for the rule-based TIMEX3 tagger: a table of (sentence, publication date, expected mention)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dateline.model import Precision
from dateline.temporal import TAGGERS, DateTagger, RuleTagger, Timex, get_tagger, value_to_date

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
TAGGER = RuleTagger()

# (sentence, publication date, expected extent, expected TIMEX3 type, expected value)
CASES = [
    # At the calendar's ends the year is picked among those that exist (there is no year 0 or 10000).
    ("Talks began on January 1.", "9999-12-31", "January 1", "DATE", "9999-01-01"),
    ("Talks ended on December 31.", "0001-01-01", "December 31", "DATE", "0001-12-31"),
    ("said the State Department on January 16.", "2020-01-17", "January 16", "DATE", "2020-01-16"),
    (
        "A delegation of US official met the supreme commander of Libya Khalifa Haftar on November 24, as Washington asked them to halt.",
        "2019-11-26",
        "November 24",
        "DATE",
        "2019-11-24",
    ),
    (
        "Haftar's Libyan National Army on November 25 has announced a no-fly zone.",
        "2019-11-26",
        "November 25",
        "DATE",
        "2019-11-25",
    ),
    (
        "Senior US officials met with General Khalifa Haftar on November 24 to discuss steps.",
        "2019-11-26",
        "November 24",
        "DATE",
        "2019-11-24",
    ),
    ("The accord was signed on 24 November 2019 in Rome.", "2020-02-01", "24 November 2019", "DATE", "2019-11-24"),
    ("The accord was signed on Nov. 24, 2019, in Rome.", "2020-02-01", "Nov. 24, 2019", "DATE", "2019-11-24"),
    ("The accord was signed on November 24th, 2019.", "2020-02-01", "November 24th, 2019", "DATE", "2019-11-24"),
    ("The file is dated 2019-11-24 in the archive.", "2020-02-01", "2019-11-24", "DATE", "2019-11-24"),
    ("The form was filed on 11/24/2019 by the clerk.", "2020-02-01", "11/24/2019", "DATE", "2019-11-24"),
    ("Das Treffen fand am 24.11.2019 statt.", "2020-02-01", "24.11.2019", "DATE", "2019-11-24"),
    ("Sales peaked in Nov 2019 before falling.", "2020-02-01", "Nov 2019", "DATE", "2019-11"),
    ("Sales peaked in November 2019 before falling.", "2020-02-01", "November 2019", "DATE", "2019-11"),
    ("The company was founded in 2011 in Berlin.", "2020-02-01", "2011", "DATE", "2011"),
    ("Prices soared in the 1990s.", "2020-02-01", "the 1990s", "DATE", "199"),
    ("Inflation was high in the late 1970s.", "2020-02-01", "the late 1970s", "DATE", "197"),
    ("The plant opened in mid-2011.", "2020-02-01", "mid-2011", "DATE", "2011"),
    ("The law takes effect in early 2021.", "2020-02-01", "early 2021", "DATE", "2021"),
    ("He left office on March 3, 1998, after a scandal.", "2020-02-01", "March 3, 1998", "DATE", "1998-03-03"),
    ("The treaty of 1 January 1995 created the bloc.", "2020-02-01", "1 January 1995", "DATE", "1995-01-01"),
    ("The war ended on the 8th of May 1945.", "2020-02-01", "8th of May 1945", "DATE", "1945-05-08"),
    ("The vote is set for Friday, Nov. 29, 2019.", "2019-11-26", "Friday, Nov. 29, 2019", "DATE", "2019-11-29"),
    ("In August 1988 the ceasefire began.", "1990-08-15", "August 1988", "DATE", "1988-08"),
    ("The jets flew on March 21 , 2011 .", "2011-03-25", "March 21 , 2011", "DATE", "2011-03-21"),
    # "ahead of" looks forward whatever the clause's tense; without it the past tense decides
    (
        "The regime pulled the plug on the internet ahead of Tuesday 's protests.",
        "2011-01-31",
        "Tuesday",
        "DATE",
        "2011-02-01",
    ),
    ("Crowds gathered in the run-up to Friday, witnesses said.", "2011-04-20", "Friday", "DATE", "2011-04-22"),
    (
        "The regime pulled the plug on the internet during Tuesday 's protests.",
        "2011-01-31",
        "Tuesday",
        "DATE",
        "2011-01-25",
    ),
    (
        "Posted 3:44 pm ET February 11 , 2011 by staff",
        "2011-03-25",
        "3:44 pm ET February 11 , 2011",
        "TIME",
        "2011-02-11T15:44",
    ),
    ("Rebels took the town in June last year.", "1998-02-19", "June last year", "DATE", "1997-06"),
    ("The talks resume in March next year.", "1998-02-19", "March next year", "DATE", "1999-03"),
    ("He was born in 1949 in Tripoli.", "2019-11-26", "1949", "DATE", "1949"),
    ("The school dates from the 20th century.", "2019-11-26", "the 20th century", "DATE", "19"),
    ("Prices recovered in the nineties.", "2019-11-26", "the nineties", "DATE", "199"),
    ("He won in nineteen ninety-six on a technicality.", "1998-01-15", "nineteen ninety-six", "DATE", "1996"),
    ("The bug was fixed before the year two thousand.", "1998-01-15", "the year two thousand", "DATE", "2000"),
    ("Profits rose in fiscal 1989, the company said.", "1989-11-02", "fiscal 1989", "DATE", "1989"),
    ("The fund grew in the first half of 2019.", "2019-11-26", "the first half of 2019", "DATE", "2019-H1"),
    ("The law was passed in the spring of 1994.", "2019-11-26", "the spring of 1994", "DATE", "1994-SP"),
    ("It was the coldest winter of 1994 on record.", "2019-11-26", "winter of 1994", "DATE", "1994-WI"),
    ("The ministers met on November 24.", "2019-11-26", "November 24", "DATE", "2019-11-24"),
    ("The officials will meet on January 5 in Berlin.", "2019-12-20", "January 5", "DATE", "2020-01-05"),
    ("The envoys met on December 28 in Cairo.", "2020-01-02", "December 28", "DATE", "2019-12-28"),
    ("The summit is scheduled for February 3.", "2020-01-20", "February 3", "DATE", "2020-02-03"),
    ("The conference will be held on March 12.", "2020-01-20", "March 12", "DATE", "2020-03-12"),
    ("Troops entered the city on Oct. 3, witnesses said.", "2019-11-26", "Oct. 3", "DATE", "2019-10-03"),
    ("Voting is due to begin Dec. 1.", "2019-11-26", "Dec. 1", "DATE", "2019-12-01"),
    ("The ceasefire announced on Jan. 12 has held.", "2020-01-17", "Jan. 12", "DATE", "2020-01-12"),
    ("Prices fell on Dec. 30 after the decision.", "2020-01-03", "Dec. 30", "DATE", "2019-12-30"),
    ("The offer expires Dec. 7.", "1989-10-27", "Dec. 7", "DATE", "1989-12-07"),
    ("The 10th of November saw fresh fighting.", "2019-11-26", "10th of November", "DATE", "2019-11-10"),
    ("Fighting resumed on 2 December, officials said.", "2019-12-05", "2 December", "DATE", "2019-12-02"),
    ("The army advanced in April.", "2019-11-26", "April", "DATE", "2019-04"),
    ("The army launched an offensive on Tripoli last April.", "2019-11-26", "last April", "DATE", "2019-04"),
    ("Elections will be held in April.", "2019-11-26", "April", "DATE", "2020-04"),
    ("The vote is expected in early May.", "2020-01-10", "early May", "DATE", "2020-05"),
    ("Talks collapsed in May.", "2019-11-26", "May", "DATE", "2019-05"),
    ("The fund will close next March.", "2019-11-26", "next March", "DATE", "2020-03"),
    ("Exports surged in December, the ministry said.", "2020-01-15", "December", "DATE", "2019-12"),
    ("Shipments were delayed until mid-November.", "1989-10-27", "mid-November", "DATE", "1989-11"),
    ("The strike began in late September.", "1989-10-27", "late September", "DATE", "1989-09"),
    ("The Fed meets again in January.", "1989-10-30", "January", "DATE", "1990-01"),
    ("Sales in September rose 2%.", "1989-10-30", "September", "DATE", "1989-09"),
    ("The ruling came this September.", "1998-06-26", "this September", "DATE", "1998-09"),
    ("Rebels attacked the airport on Monday.", "2019-11-27", "Monday", "DATE", "2019-11-25"),
    ("The minister said Friday that talks had failed.", "2019-11-26", "Friday", "DATE", "2019-11-22"),
    ("The minister will travel to Moscow on Thursday.", "2019-11-26", "Thursday", "DATE", "2019-11-28"),
    ("Rebels attacked the airport last Friday.", "2019-11-26", "last Friday", "DATE", "2019-11-22"),
    ("The council meets next Friday.", "2019-11-26", "next Friday", "DATE", "2019-11-29"),
    ("The report is due this Tuesday.", "2019-11-25", "this Tuesday", "DATE", "2019-11-26"),
    ("The talks are set to resume Monday in Belfast.", "1998-03-22", "Monday", "DATE", "1998-03-23"),
    ("The council voted Friday to approve the plan.", "1998-02-13", "Friday", "DATE", "1998-02-13"),
    ("Protesters gathered early Tuesday in the capital.", "1998-03-03", "early Tuesday", "DATE", "1998-03-03"),
    ("Last Friday's announcement surprised investors.", "1989-10-30", "Last Friday", "DATE", "1989-10-27"),
    ("Stocks closed lower on Wednesday.", "1989-10-27", "Wednesday", "DATE", "1989-10-25"),
    ("Stocks fell Thursday and rose Friday.", "1989-10-30", "Thursday", "DATE", "1989-10-26"),
    ("Today the cabinet resigned.", "2019-11-26", "Today", "DATE", "2019-11-26"),
    ("The cabinet resigned yesterday.", "2019-11-26", "yesterday", "DATE", "2019-11-25"),
    ("The cabinet will resign tomorrow.", "2019-11-26", "tomorrow", "DATE", "2019-11-27"),
    ("The bomb exploded two days ago.", "2019-11-26", "two days ago", "DATE", "2019-11-24"),
    ("The bomb exploded 3 weeks ago.", "2019-11-26", "3 weeks ago", "DATE", "2019-W45"),
    ("He was arrested six months ago.", "2019-11-26", "six months ago", "DATE", "2019-05"),
    ("The firm was sold five years ago.", "1989-10-26", "five years ago", "DATE", "1984"),
    ("The talks failed last week.", "2019-11-26", "last week", "DATE", "2019-W47"),
    ("The talks resume next week.", "2019-11-26", "next week", "DATE", "2019-W49"),
    ("Ministers met this week in Rome.", "2019-11-26", "this week", "DATE", "2019-W48"),
    ("Prices rose this month.", "2019-11-26", "this month", "DATE", "2019-11"),
    ("Prices rose earlier this month.", "2019-11-26", "earlier this month", "DATE", "2019-11"),
    ("Prices rose last month.", "2019-11-26", "last month", "DATE", "2019-10"),
    ("Prices will rise next month.", "2019-11-26", "next month", "DATE", "2019-12"),
    ("Profits fell last year.", "2019-11-26", "last year", "DATE", "2018"),
    ("Profits fell this year.", "2019-11-26", "this year", "DATE", "2019"),
    ("Profits will rise next year.", "2019-11-26", "next year", "DATE", "2020"),
    ("Profits will rise early next year.", "1989-10-27", "early next year", "DATE", "1990"),
    ("The company earlier this year adopted a plan.", "1989-11-02", "earlier this year", "DATE", "1989"),
    ("The trend continued over the past year.", "1998-03-03", "the past year", "DATE", "1997"),
    ("The situation is now calm.", "2019-11-26", "now", "DATE", "PRESENT_REF"),
    ("The group currently holds 77% of the shares.", "1989-10-27", "currently", "DATE", "PRESENT_REF"),
    ("The militia recently seized the port.", "2019-11-26", "recently", "DATE", "PAST_REF"),
    ("Relations may improve in the future.", "2019-11-26", "the future", "DATE", "FUTURE_REF"),
    ("The troops will soon withdraw.", "2019-11-26", "soon", "DATE", "FUTURE_REF"),
    ("The weekend saw heavy fighting over the weekend.", "1990-08-13", "the weekend", "DATE", "1990-W32-WE"),
    ("Fighting stopped last weekend.", "2019-11-26", "last weekend", "DATE", "2019-W47-WE"),
    (
        "Rebels took the town on Jan. 3. The following day, the army struck back.",
        "2020-01-17",
        "The following day",
        "DATE",
        "2020-01-04",
    ),
    (
        "The plant closed in March 2011. The following month, workers protested.",
        "2019-11-26",
        "The following month",
        "DATE",
        "2011-04",
    ),
    (
        "He fled to Florida in June 1998 and returned to Cuba later that year.",
        "2000-01-28",
        "later that year",
        "DATE",
        "1998",
    ),
    ("Sales rose in the third quarter, up 5% from a year earlier.", "1989-10-26", "a year earlier", "DATE", "1988-Q3"),
    ("Net income rose to $5 million from $4 million a year ago.", "1990-06-01", "a year ago", "DATE", "1989"),
    ("The rally was held a decade ago.", "2019-11-26", "a decade ago", "DATE", "2009"),
    ("Profit rose 5% in the third quarter.", "1989-10-26", "the third quarter", "DATE", "1989-Q3"),
    ("Third-quarter profit rose 5%.", "1989-10-26", "Third-quarter", "DATE", "1989-Q3"),
    ("Sales fell in the fourth quarter.", "1998-01-26", "the fourth quarter", "DATE", "1997-Q4"),
    ("Sales in the quarter rose 5%.", "1989-10-26", "the quarter", "DATE", "1989-Q3"),
    ("Sales in the latest quarter rose 5%.", "1989-10-26", "the latest quarter", "DATE", "1989-Q3"),
    ("Sales fell in the year-earlier quarter.", "1989-10-26", "the year-earlier quarter", "DATE", "1988-Q3"),
    ("Net fell in the 1988 third quarter.", "1989-10-26", "the 1988 third quarter", "DATE", "1988-Q3"),
    ("Sales rose in the current quarter.", "1989-10-26", "the current quarter", "DATE", "1989-Q4"),
    ("Growth slowed in the second half of 2011.", "2019-11-26", "the second half of 2011", "DATE", "2011-H2"),
    ("The offensive began last summer.", "2020-01-10", "last summer", "DATE", "2019-SU"),
    ("Hiring began last fall.", "1998-02-06", "last fall", "DATE", "1997-FA"),
    ("Troops will stay this summer.", "1998-03-22", "this summer", "DATE", "1998-SU"),
    ("Harvests improve in the spring.", "1998-01-10", "the spring", "DATE", "1998-SP"),
    ("Prices fell during the winter.", "1998-03-10", "the winter", "DATE", "1998-WI"),
    ("The minister spoke this morning.", "2019-11-26", "this morning", "TIME", "2019-11-26TMO"),
    ("The vote takes place tonight.", "2019-11-26", "tonight", "TIME", "2019-11-26TNI"),
    ("Gunmen attacked the base on Tuesday afternoon.", "2019-11-28", "Tuesday afternoon", "TIME", "2019-11-26TAF"),
    ("The blast occurred at 10:30 a.m.", "2019-11-26", "10:30 a.m.", "TIME", "2019-11-26T10:30"),
    ("The curfew starts at midnight.", "2019-11-26", "midnight", "TIME", "2019-11-26T24:00"),
    (
        "CBS News first reported last night that the tomb was found.",
        "1998-01-20",
        "last night",
        "TIME",
        "1998-01-19TNI",
    ),
    (
        "The store was robbed at 10 p.m. Wednesday, police said.",
        "1998-02-13",
        "10 p.m. Wednesday",
        "TIME",
        "1998-02-11T22:00",
    ),
    ("Talks broke off at noon Thursday.", "1998-02-13", "noon Thursday", "TIME", "1998-02-12T12:00"),
    (
        "The shares fell in London at mid-afternoon yesterday.",
        "1989-11-02",
        "mid-afternoon yesterday",
        "TIME",
        "1989-11-01TAF",
    ),
    (
        "The blast in Nairobi occurred at 10:35 a.m. Friday.",
        "1998-08-08",
        "10:35 a.m. Friday",
        "TIME",
        "1998-08-07T10:35",
    ),
    ("Aziz arrives later this afternoon.", "1998-02-22", "later this afternoon", "TIME", "1998-02-22TAF"),
    ("The offer expires at 5 p.m. EST Nov. 9.", "1989-11-02", "5 p.m. EST Nov. 9", "TIME", "1989-11-09T17:00"),
    ("The war lasted three years.", "2019-11-26", "three years", "DURATION", "P3Y"),
    ("He was held for two days.", "2019-11-26", "two days", "DURATION", "P2D"),
    ("Stocks fell 12% in the past 24 hours.", "2019-11-26", "the past 24 hours", "DURATION", "PT24H"),
    ("The talks could take several weeks.", "2019-11-26", "several weeks", "DURATION", "PXW"),
    ("The country has been at war for a decade.", "2019-11-26", "a decade", "DURATION", "P10Y"),
    ("The country has been at war for two decades.", "2019-11-26", "two decades", "DURATION", "P20Y"),
    ("Prices fell in the last twenty four hours.", "1998-01-08", "the last twenty four hours", "DURATION", "PT24H"),
    ("The refugees lived in camps for 2 1/2 years.", "1998-02-27", "2 1/2 years", "DURATION", "P2Y6M"),
    ("She testified for more than four hours.", "1998-02-27", "more than four hours", "DURATION", "PT4H"),
    ("Kuchma began a four-day state visit.", "1998-02-27", "four-day", "DURATION", "P4D"),
    ("The benchmark 30-year bond rose.", "1998-02-06", "30-year", "DURATION", "P30Y"),
    ("Net rose in the first nine months.", "1989-11-02", "the first nine months", "DURATION", "P9M"),
    ("For the nine months, net was $306 million.", "1989-11-02", "the nine months", "DURATION", "P9M"),
    ("Stocks plunged in the past three months.", "1998-01-08", "the past three months", "DURATION", "P3M"),
    ("Jobs grew over the next two weeks.", "1998-02-19", "the next two weeks", "DURATION", "P2W"),
    ("The crisis could last for years.", "2019-11-26", "years", "DURATION", "PXY"),
    ("He spoke for a few minutes.", "2019-11-26", "a few minutes", "DURATION", "PTXM"),
    ("They negotiated for a couple of years.", "2019-11-26", "a couple of years", "DURATION", "P2Y"),
    ("The meeting lasted 90 minutes.", "2019-11-26", "90 minutes", "DURATION", "PT90M"),
    ("The twenty-four months of talks ended.", "2019-11-26", "The twenty-four months", "DURATION", "P24M"),
    ("Flights leave every Monday.", "2019-11-26", "every Monday", "SET", "XXXX-WXX-1"),
    ("The paper publishes daily.", "2019-11-26", "daily", "SET", "P1D"),
    ("Elections are held each year.", "2019-11-26", "each year", "SET", "P1Y"),
    ("The index is revised annually.", "2019-11-26", "annually", "SET", "P1Y"),
    ("The magazine appears weekly.", "2019-11-26", "weekly", "SET", "P1W"),
    ("Orangemen march each July.", "1998-03-22", "each July", "SET", "XXXX-07"),
    ("The board meets twice a year.", "2019-11-26", "twice a year", "SET", "P1Y"),
    ("The plan saves $500 million a year.", "1989-10-30", "a year", "SET", "P1Y"),
    ("Rallies are held almost every day.", "2000-01-28", "every day", "SET", "P1D"),
    ("The truce held over Christmas.", "2019-12-27", "Christmas", "DATE", "2019-12-25"),
    ("Stores were closed on Thanksgiving Day.", "1998-11-30", "Thanksgiving Day", "DATE", "1998-11-26"),
    ("Pilgrims gathered on Easter Sunday.", "2019-04-25", "Easter Sunday", "DATE", "2019-04-21"),
    # A day that is an event's name means that event, whatever the tense; the same day otherwise does not.
    ("McCain compared the crisis with the attacks of Sept. 11.", "2008-09-24", "Sept. 11", "DATE", "2001-09-11"),
    ("He recalled his response to the Sept. 11 attacks.", "2008-09-24", "Sept. 11", "DATE", "2001-09-11"),
    ("Could he plan another Sept. 11-style attack?", "2008-11-15", "Sept. 11", "DATE", "2001-09-11"),
    ("Survivors of the July 7 bombings met the minister.", "2006-10-02", "July 7", "DATE", "2005-07-07"),
    ("The Sept. 11 board meeting was postponed.", "2008-11-17", "Sept. 11", "DATE", "2008-09-11"),
    ("The new bridge opened on Sept. 11.", "2008-09-24", "Sept. 11", "DATE", "2008-09-11"),
    ("The ministers will meet in May, officials said.", "2019-11-26", "May", "DATE", "2020-05"),
    ("The rally ended on March 15.", "2019-11-26", "March 15", "DATE", "2019-03-15"),
    ("The army launched a second attack in 2011.", "2019-11-26", "2011", "DATE", "2011"),
    # Reported speech: the quoted clause's tense decides, not the reporting verb after the quote.
    (
        "``He will leave at 4 a.m. EDT Thursday,'' Castro said.",
        "2000-04-05",
        "4 a.m. EDT Thursday",
        "TIME",
        "2000-04-06T04:00",
    ),
    ("``We will vote on Friday,'' the senator said.", "1998-02-11", "Friday", "DATE", "1998-02-13"),
    (
        "``We plan to meet the minister, then the president and finally the whole cabinet on Friday,'' he said.",
        "1998-02-11",
        "Friday",
        "DATE",
        "1998-02-13",
    ),
    ('"The talks will resume on Monday," the envoy said.', "1998-02-11", "Monday", "DATE", "1998-02-16"),
    ("He said the vote will be held Friday.", "1998-02-11", "Friday", "DATE", "1998-02-13"),
    # Clock times with a part of the day; bare times take the day last mentioned.
    ("They will leave at 4 in the morning.", "2000-04-05", "4 in the morning", "TIME", "2000-04-05T04:00"),
    ("The vote ended at 3 in the afternoon.", "2000-04-05", "3 in the afternoon", "TIME", "2000-04-05T15:00"),
    (
        "The ship sailed at eleven o'clock in the evening.",
        "2000-04-05",
        "eleven o'clock in the evening",
        "TIME",
        "2000-04-05T23:00",
    ),
    (
        "Slepian was killed on Oct. 23, 1998, in his home near Buffalo. He was shot at 10 p.m. in his kitchen.",
        "1999-04-19",
        "10 p.m.",
        "TIME",
        "1998-10-23T22:00",
    ),
    (
        "Markets crashed Friday. Dealers placed buy orders in the morning.",
        "1989-10-30",
        "the morning",
        "TIME",
        "1989-10-27TMO",
    ),
    ("The shelling began at noon.", "1998-02-13", "noon", "TIME", "1998-02-13T12:00"),
    ("The hostages were freed this morning.", "1998-02-06", "this morning", "TIME", "1998-02-06TMO"),
    ("The president will speak tonight.", "1998-02-06", "tonight", "TIME", "1998-02-06TNI"),
    ("Rebels shelled the town Tuesday night.", "1998-02-06", "Tuesday night", "TIME", "1998-02-03TNI"),
    # Recurring times.
    ("Flights leave Bombay on Mondays.", "1998-02-13", "Mondays", "SET", "XXXX-WXX-1"),
    ("Flights leave Bombay on Tuesday nights.", "1998-02-13", "Tuesday nights", "SET", "XXXX-WXX-2TNI"),
    ("The council meets every two weeks.", "1998-02-13", "every two weeks", "SET", "P2W"),
    ("The magazine appears every other month.", "1998-02-13", "every other month", "SET", "P2M"),
    ("The patrol passes every 12 hours.", "1998-02-13", "every 12 hours", "SET", "PT12H"),
    ("Inspectors return every few days.", "1998-02-13", "every few days", "SET", "PXD"),
    ("The magazine appears monthly.", "1998-02-13", "monthly", "SET", "P1M"),
    ("Patients wait for organs each year.", "1998-03-31", "each year", "SET", "P1Y"),
    ("The tax is paid twice a month.", "1998-02-13", "twice a month", "SET", "P1M"),
    # Anaphora: "that day" after a month-precision date is a day of that month we cannot name.
    (
        "The site went up in October 1998; it was taken down that same day.",
        "1999-02-06",
        "that same day",
        "DATE",
        "1998-10-XX",
    ),
    (
        "The bomb exploded on Aug. 7. The next day, rescuers arrived.",
        "1998-08-10",
        "The next day",
        "DATE",
        "1998-08-08",
    ),
    # "N days later" is a duration plus a signal, never the vague "days later".
    ("Three days later, the index rose.", "1989-10-30", "Three days", "DURATION", "P3D"),
    ("A few days later, the firm sold its unit.", "1989-10-30", "A few days", "DURATION", "PXD"),
    ("The rebels returned years later.", "1998-02-13", "years later", "DATE", "FUTURE_REF"),
    # Tense: "vs." and initials end no sentence; "set to" and "is to" point forward.
    (
        "In January, a week after the anniversary of the Roe vs. Wade decision, a bombing killed a guard.",
        "1998-10-25",
        "January",
        "DATE",
        "1998-01",
    ),
    ("Talks, set to resume Monday in Belfast, collapsed.", "1998-03-22", "Monday", "DATE", "1998-03-23"),
    (
        "The shares traded in London and are to resume trading in Paris Tuesday.",
        "1989-10-26",
        "Tuesday",
        "DATE",
        "1989-10-31",
    ),
    # Anaphoric weekdays count from the day last mentioned.
    (
        "The index closed Friday, down 4.5% from the previous Friday.",
        "1989-10-30",
        "the previous Friday",
        "DATE",
        "1989-10-20",
    ),
    ("Shares fell Friday.", "1989-10-30", "Friday", "DATE", "1989-10-27"),
    # "is" or "are" right before a date schedules it: the vote is still to come.
    ("The vote is on Friday, officials said.", "2011-06-15", "Friday", "DATE", "2011-06-17"),
    ("The hearings are Monday.", "2011-06-15", "Monday", "DATE", "2011-06-20"),
    ("The vote was on Friday.", "2011-06-15", "Friday", "DATE", "2011-06-10"),
    # With no tense, a day behind beats one ahead unless the one ahead is much nearer; a
    # timeline inside an article ("Feb. 24 - Militias take ...") recalls the past.
    ("Feb. 24 - Anti-government militias take control of Misrata.", "2011-09-21", "Feb. 24", "DATE", "2011-02-24"),
    ("The festival opens its doors on Jan. 5 in Lyon.", "2010-12-20", "Jan. 5", "DATE", "2011-01-05"),
    ("Protests began in February against the leader.", "2011-09-21", "February", "DATE", "2011-02"),
    # A day with a relative year, and a range of days dated by its first.
    ("Jackson died at his home on 25 June last year.", "2010-06-09", "25 June last year", "DATE", "2009-06-25"),
    ("The vote is set for March 3 next year.", "2010-06-09", "March 3 next year", "DATE", "2011-03-03"),
    ("Free trade tops the agenda of the November 12-13 summit.", "2011-11-08", "November 12", "DATE", "2011-11-12"),
    (
        "A survey taken April 21-27, 2009 found a slim majority.",
        "2009-05-02",
        "April 21-27, 2009",
        "DATE",
        "2009-04-21",
    ),
]

# (sentence, publication date, text that must not be tagged as (part of) a temporal expression)
NEGATIVE = [
    ("The army may attack the capital.", "2019-11-26", "may"),
    ("Protesters march on the capital.", "2019-11-26", "march"),
    ("Protesters March on the capital.", "2019-11-26", "March"),
    ("A second attack followed.", "2019-11-26", "second"),
    ("Prices fall when supply rises.", "2019-11-26", "fall"),
    ("The river's spring is polluted.", "2019-11-26", "spring"),
    ("The sun rose over the hills.", "2019-11-26", "sun"),
    ("The town has 2011 people.", "2019-11-26", "2011"),
    ("The ticket costs $1990.", "2019-11-26", "1990"),
    ("Officials counted 1,500 ballots.", "2019-11-26", "1,500"),
    ("Officials counted 1,999 ballots.", "2019-11-26", "999"),
    ("Theresa May said she would resign.", "2019-11-26", "May"),
    ("Madrid beat them March 5-2 at home.", "2019-11-26", "March 5"),
    ("April Smith won the award.", "2019-11-26", "April"),
    ("The 8-year-old boy was rescued.", "2019-11-26", "8-year-old"),
    ("The boy, 6 years old, was rescued.", "2019-11-26", "6 years"),
    ("He won a quarter of the vote.", "2019-11-26", "a quarter"),
    ("Iraq imports three-quarters of its food.", "2019-11-26", "three-quarters"),
    ("Eastern Europe joined the alliance.", "2019-11-26", "Easter"),
    ("The fall of Tripoli shocked the world.", "2019-11-26", "fall"),
    ("He is in his forties.", "2019-11-26", "forties"),
    ("The previously announced plan was dropped.", "2019-11-26", "previously"),
    ("Send it as soon as possible.", "2019-11-26", "soon"),
    ("Room 1988 was empty.", "2019-11-26", "1988"),
    ("The score was 3:2 at half-time.", "2019-11-26", "3:2"),
    ("The Sunday Times reported the deal.", "2019-11-26", "Sunday"),
    ("The Good Friday Agreement still holds.", "2019-11-26", "Friday"),
    ("Three days later, the index rose.", "1989-10-30", "days later"),
    ("He scored 2 in the second period.", "2019-11-26", "2 in the"),
]


def _tag(sentence: str, reference: str) -> list[Timex]:
    return TAGGER.tag(sentence, date.fromisoformat(reference))


@pytest.mark.parametrize(("sentence", "reference", "text", "type_", "value"), CASES)
def test_tags_expected_mention(sentence, reference, text, type_, value):
    found = [(t.text, t.type, t.value) for t in _tag(sentence, reference)]
    assert (text, type_, value) in found


@pytest.mark.parametrize(("sentence", "reference", "text"), NEGATIVE)
def test_no_false_mention(sentence, reference, text):
    found = _tag(sentence, reference)
    assert not [t for t in found if text in t.text or t.text in text], found


@pytest.mark.parametrize(
    ("sentence", "reference", "day", "precision"),
    [
        ("The ministers met on November 24.", "2019-11-26", date(2019, 11, 24), Precision.DAY),
        ("Sales peaked in November 2019.", "2020-02-01", date(2019, 11, 1), Precision.MONTH),
        ("The company was founded in 2011.", "2020-02-01", date(2011, 1, 1), Precision.YEAR),
        ("Prices rose earlier this month.", "2019-11-26", date(2019, 11, 1), Precision.MONTH),
        ("Profits fell last year.", "2019-11-26", date(2018, 1, 1), Precision.YEAR),
        ("The cabinet resigned yesterday.", "2019-11-26", date(2019, 11, 25), Precision.DAY),
        ("The blast occurred at 10:30 a.m. Friday.", "2019-11-26", date(2019, 11, 22), Precision.DAY),
    ],
)
def test_date_values_have_expected_precision(sentence, reference, day, precision):
    (mention,) = [t for t in _tag(sentence, reference) if t.type in ("DATE", "TIME")]
    assert value_to_date(mention.value) == (day, precision)


@pytest.mark.parametrize(
    ("sentence", "reference"),
    [
        ("The talks failed last week.", "2019-11-26"),
        ("Profit rose in the third quarter.", "1989-10-26"),
        ("The war lasted three years.", "2019-11-26"),
        ("The situation is now calm.", "2019-11-26"),
        ("Flights leave every Monday.", "2019-11-26"),
    ],
)
def test_values_without_a_calendar_date(sentence, reference):
    (mention,) = _tag(sentence, reference)
    assert value_to_date(mention.value) is None


def _assert_consistent(text: str, mentions: list[Timex]) -> None:
    previous_end = -1
    for t in mentions:
        assert text[t.start : t.end] == t.text
        assert t.start >= previous_end, "mentions overlap or are out of order"
        assert t.text == t.text.strip()
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
        previous_end = t.end


def _seed_texts() -> list[tuple[str, date]]:
    seeds = []
    for path in sorted(SEEDS.glob("*.txt")):
        head, _, body = path.read_text(encoding="utf-8").strip().partition(" ")
        published = date.fromisoformat(body.split()[0]) if head == "date" else date(2020, 1, 1)
        seeds.append((path.read_text(encoding="utf-8"), published))
    return seeds


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_spans_are_consistent_on_seed_texts():
    seeds = _seed_texts()
    assert seeds
    for text, published in seeds:
        _assert_consistent(text, TAGGER.tag(text, published))


def test_spans_are_consistent_on_case_sentences():
    for sentence, reference, *_ in CASES:
        _assert_consistent(sentence, _tag(sentence, reference))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("000_028eee75ba93bdb3.txt", "January 16", "2020-01-16"),
        ("004_998827260db387d9.txt", "November 24", "2019-11-24"),
        ("004_998827260db387d9.txt", "November 25", "2019-11-25"),
    ],
)
def test_seed_articles(name, text, value):
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed {name} is not present")
    ((body, published),) = [s for s in _seed_texts() if s[0] == path.read_text(encoding="utf-8")]
    assert (text, value) in [(t.text, t.value) for t in TAGGER.tag(body, published)]


def test_results_are_sorted_and_typed():
    text = "On Monday, two days after the vote of Nov. 22, 2019, officials said talks would last weeks."
    mentions = TAGGER.tag(text, date(2019, 11, 26))
    assert [t.start for t in mentions] == sorted(t.start for t in mentions)
    assert {t.value for t in mentions} >= {"2019-11-25", "2019-11-22"}


def test_empty_text():
    assert TAGGER.tag("", date(2020, 1, 1)) == []


def test_registry_and_protocol():
    tagger = get_tagger()
    assert isinstance(tagger, DateTagger)
    assert tagger.name == "rules" and tagger.version
    assert TAGGERS["rules"] is RuleTagger
    with pytest.raises(ValueError, match="unknown tagger"):
        get_tagger("nope")


@pytest.mark.parametrize(
    "sentence, tense",
    [
        ("Rebels took Brega on March 2.", "past"),
        ("Protests began on March 2.", "past"),
        ("Rebels bombed Brega on March 2.", "past"),
        ("Rebels will take Brega on March 2.", "future"),
        ("Rebels are marching on Brega on March 2.", None),
        ("The sun rose over Brega on March 2.", None),  # "rose" is also a noun and a name: no marker
        ("The vote is on March 2.", "future"),  # a copula right before the date schedules it
        ("Brega is quiet since March 2.", None),  # ... but not one further away
    ],
)
def test_clause_tense_reads_irregular_past_forms(sentence, tense):
    from dateline.temporal.resolve import clause_tense

    start = sentence.index("March 2")
    assert clause_tense(sentence, start, start + len("March 2"))[0] == tense


def test_taken_spans_in_blocks_answer_as_one_sorted_list():
    """The tagger's overlap index (blocks, so that a million dates stay linear) against the flat list it replaced."""
    import random
    from bisect import bisect_left, insort

    from dateline.temporal.rules import _Spans

    rng = random.Random(23)
    flat: list[tuple[int, int]] = []
    spans = _Spans()
    spans.BLOCK = 2  # split often
    for _ in range(3000):
        start = rng.randrange(5000)
        end = start + rng.choice([0, 1, 3, 12, 40]) * (-1 if rng.random() < 0.01 else 1)  # empty and reversed too
        if all(s <= e for s, e in flat):
            i = bisect_left(flat, (end,))
            expected = i > 0 and flat[i - 1][1] > start
        else:
            expected = any(start < e and s < end for s, e in flat)
        assert spans.overlaps(start, end) == expected
        if not expected:
            insort(flat, (start, end))
            spans.add(start, end)
    assert [span for block in spans.blocks for span in block] == flat
