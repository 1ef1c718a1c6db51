"""Seed two demo rollouts and five demo accounts, so a newcomer sees a realistic review at once.

``python manage.py seed_demo`` is idempotent: every row is found by its natural key (username,
project slug, item name, duty scope) and only written when a value differs, so a second run on
the same day changes nothing. Dates are relative to today, so a run on a later day moves them.

The main project, "Northwind ERP cutover", is mostly healthy but carries the weak spots the
rules are meant to find (a disputed system of truth, a spreadsheet handoff, untested high-severity
exceptions, a vendor-owned duty…), so every check has something to show.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from readiness.core.content import content_diff, item_content
from readiness.core.models import Stamped
from readiness.projects.activity import activity_record
from readiness.projects.models import (
    ActivityAction,
    ActivityVia,
    BlackoutPeriod,
    BuildKind,
    Lifecycle,
    Membership,
    Owner,
    OwnerKind,
    Project,
    Role,
    System,
)
from readiness.projects.services import member_remove
from readiness.registers.models import (
    Checkpoint,
    ContextTravels,
    Criticality,
    DataElement,
    Duty,
    DutyKind,
    ExceptionCase,
    Handling,
    Handoff,
    InterfaceStatus,
    Mechanism,
    PeriodDate,
    Population,
    Report,
    ReportTiming,
    RulesState,
    Severity,
    TestRun,
    TestStatus,
)
from readiness.registers.services import test_run_add
from readiness.registers.specs import SPECS, spec_for_model
from readiness.reviews.checks import get_check
from readiness.reviews.models import (
    Answer,
    AssuranceRating,
    AssuranceReview,
    CheckSignatory,
    SignOff,
)
from readiness.reviews.services import assurance_add, item_sign

PASSWORD = "readiness-demo"

# --------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------

USERS = [
    {
        "username": "demo-lead",
        "first_name": "Helen",
        "last_name": "Marsh",
        "email": "helen.marsh@example.com",
        "note": "programme lead, lead of both projects",
    },
    {
        "username": "demo-contributor",
        "first_name": "Sam",
        "last_name": "Kowalski",
        "email": "sam.kowalski@example.com",
        "note": "business analyst, contributor on Northwind",
    },
    {
        "username": "demo-owner",
        "first_name": "Priya",
        "last_name": "Raman",
        "email": "priya.raman@example.com",
        "note": "order-to-cash process owner, contributor on Northwind, signs as an owner",
    },
    {
        "username": "demo-viewer",
        "first_name": "Dana",
        "last_name": "Whitfield",
        "email": "dana.whitfield@example.com",
        "note": "COO, viewer on Northwind",
    },
    {
        "username": "demo-exec",
        "first_name": "Martin",
        "last_name": "Okafor",
        "email": "martin.okafor@example.com",
        "note": "CFO, viewer on Northwind, its accountable executive: approves accepting blockers",
    },
    {
        "username": "demo-outsider",
        "first_name": "Leo",
        "last_name": "Brandt",
        "email": "leo.brandt@example.com",
        "note": "CRM administrator, contributor on Harbor only",
    },
]

# --------------------------------------------------------------------------------------------
# Main project: Northwind ERP cutover
# --------------------------------------------------------------------------------------------

NORTHWIND_PROJECT = {
    "slug": "northwind-erp-cutover",
    "name": "Northwind ERP cutover",
    "summary": (
        "Northwind Trading distributes catering, cleaning and packaging supplies to about 6,500 "
        "trade customers from three warehouses (Leeds, Bristol, Coventry), with roughly 320 "
        "staff. Orders, invoicing and purchasing still run on an on-premise ERP installed in "
        "2009, propped up by shared spreadsheets for prices, credit limits and urgent orders. "
        "The cutover moves finance, order management, purchasing and inventory valuation to a "
        "cloud ERP and connects it to the CRM the sales team already uses, the warehouse "
        "management system, payroll and HR, the B2B web shop, the EDI gateway used by key "
        "accounts and the data warehouse behind the management reports."
    ),
    "time_zone": "Europe/London",  # the warehouses are in England
    "desired_outcome": (
        "Orders invoiced within 24 hours of dispatch (today: 4 working days on average). "
        "Month-end close in 5 working days (today: 12). Credit decisions on new or over-limit "
        "orders within 2 hours (today: next day). Web shop stock figures never older than "
        "15 minutes (today: refreshed overnight). No price list or credit limit maintained in "
        "a spreadsheet after go-live."
    ),
    "lifecycle": Lifecycle.IN_REVIEW,
    "breakage_plan": (
        "Detection: the IT Service Desk watches the integration monitor and raises a P1 ticket "
        "within 15 minutes when a queue stops or more than 200 messages are waiting, then phones "
        "the business owner of the affected handoff (see the duties register).\n"
        "Keep working: customer service keeps taking orders in the cloud ERP; each warehouse "
        "prints pick lists from the ERP fallback report instead of waiting for the WMS feed. "
        "Invoicing pauses rather than guesses: dispatch notes go into a tray per warehouse and "
        "are matched once the feed is back. The web shop switches to 'call to confirm "
        "availability' when the stock feed is more than 2 hours old.\n"
        "Recovery: held messages are replayed in their original order; the order-to-cash team "
        "checks the replay report against the dispatch notes before any invoice is released.\n"
        "Afterwards: a short incident review within five working days, led by the owner of the "
        "'reviews failures' duty, with the fix and any rule change recorded."
    ),
}

# Days from today: the plan locks in 10 days, go-live in 75, old and new run side by side
# from day 61 to day 89 (two weeks either side of go-live).
NORTHWIND_DATES = {
    "plan_lock_date": 10,
    "go_live_date": 75,
    "parallel_run_start": 61,
    "parallel_run_end": 89,
}

NORTHWIND_MEMBERS = {
    "demo-lead": Role.LEAD,
    "demo-contributor": Role.CONTRIBUTOR,
    "demo-owner": Role.CONTRIBUTOR,
    "demo-viewer": Role.VIEWER,
    "demo-exec": Role.VIEWER,
}

ERP = "Cloud ERP"
LEGACY = "Legacy ERP"
CRM = "CRM"
WMS = "Warehouse management (WMS)"
HR = "Payroll and HR"
SHOP = "B2B web shop"
DW = "Data warehouse and BI"
EDI = "EDI gateway"

NORTHWIND_SYSTEMS = [
    {
        "name": ERP,
        "vendor": "Ledgerline Software",
        "purpose": "Finance, order management, purchasing and inventory valuation from go-live.",
    },
    {
        "name": LEGACY,
        "vendor": "In-house (on-premise, 2009)",
        "purpose": "Current order and finance system; read-only after the parallel run, "
        "kept seven years for audit.",
    },
    {
        "name": CRM,
        "vendor": "Brightpath CRM",
        "purpose": "Accounts, contacts, opportunities, quotes and customer service cases.",
    },
    {
        "name": WMS,
        "vendor": "Stackwise Logistics",
        "purpose": "Goods receipt, put-away, picking, packing, dispatch and stock counts in "
        "the three warehouses.",
    },
    {
        "name": HR,
        "vendor": "PeopleLedger",
        "purpose": "Employee records, joiners and leavers, absence and monthly payroll.",
    },
    {
        "name": SHOP,
        "vendor": "Shopfront Commerce",
        "purpose": "Self-service ordering for trade customers: catalogue, prices, availability, "
        "order history.",
    },
    {
        "name": DW,
        "vendor": "In-house (cloud SQL warehouse with Lumen BI)",
        "purpose": "Nightly copy of ERP, WMS and CRM data for management reports and dashboards.",
    },
    {
        "name": EDI,
        "vendor": "TradeLink EDI",
        "purpose": "Purchase orders from the twelve largest customers and advance shipping "
        "notices from suppliers.",
    },
]

PRIYA = "Priya Raman"
HELEN = "Helen Marsh"
GARETH = "Gareth Lloyd"
AMARA = "Amara Osei"
TOM = "Tom Fletcher"
RUTH = "Ruth Adeyemi"
NIKHIL = "Nikhil Shah"
EWA = "Ewa Nowak"
LENA = "Lena Fischer"
IT_DESK = "IT Service Desk"
SAM = "Sam Okafor"
MARCO = "Marco Bianchi"
CLAIRE = "Claire Dubois"
MARTIN = "Martin Okafor"

NORTHWIND_OWNERS = [
    {
        "name": SAM,
        "email": "sam.okafor@example.com",
        "team": "Integration platform (IT)",
        "kind": OwnerKind.IT_PERSON,
    },
    {
        "name": PRIYA,
        "email": "priya.raman@example.com",
        "team": "Order-to-cash process owner",
        "kind": OwnerKind.BUSINESS,
        "user": "demo-owner",
    },
    {
        "name": HELEN,
        "email": "helen.marsh@example.com",
        "team": "Programme office (programme lead)",
        "kind": OwnerKind.BUSINESS,
        "user": "demo-lead",
    },
    {
        "name": MARTIN,
        "email": "martin.okafor@example.com",
        "team": "Finance (chief financial officer, accountable executive)",
        "kind": OwnerKind.BUSINESS,
        "user": "demo-exec",
    },
    {
        "name": GARETH,
        "email": "gareth.lloyd@example.com",
        "team": "Finance (financial controller)",
        "kind": OwnerKind.BUSINESS,
    },
    {
        "name": AMARA,
        "email": "amara.osei@example.com",
        "team": "Customer service (head of customer service)",
        "kind": OwnerKind.BUSINESS,
    },
    {
        "name": TOM,
        "email": "tom.fletcher@example.com",
        "team": "Warehouse operations (operations manager)",
        "kind": OwnerKind.BUSINESS,
    },
    {
        "name": RUTH,
        "email": "ruth.adeyemi@example.com",
        "team": "People team (HR and payroll lead)",
        "kind": OwnerKind.BUSINESS,
    },
    {
        "name": NIKHIL,
        "email": "nikhil.shah@example.com",
        "team": "Sales operations (manager)",
        "kind": OwnerKind.BUSINESS,
    },
    {
        "name": EWA,
        "email": "ewa.nowak@example.com",
        "team": "Purchasing (purchasing manager)",
        "kind": OwnerKind.BUSINESS,
    },
    {
        "name": LENA,
        "email": "lena.fischer@example.com",
        "team": "E-commerce (web shop manager)",
        "kind": OwnerKind.BUSINESS,
    },
    {
        "name": IT_DESK,
        "email": "it-servicedesk@example.com",
        "team": "IT",
        "kind": OwnerKind.IT,
    },
    {
        "name": MARCO,
        "email": "marco.bianchi@example.com",
        "team": "Cloudbridge Partners (ERP implementation partner)",
        "kind": OwnerKind.VENDOR,
    },
    {
        "name": CLAIRE,
        "email": "claire.dubois@example.com",
        "team": "Independent data migration consultant",
        "kind": OwnerKind.CONSULTANT,
    },
]

CUSTOMER = "Customer"
SHIP_TO = "Customer ship-to address"
ACTIVE_CUSTOMER = "Active customer"
CREDIT_LIMIT = "Credit limit"
SUPPLIER = "Supplier"
BANK = "Supplier bank details"
ITEM = "Item (SKU)"
PRICE_LIST = "Price list"
SALES_ORDER = "Sales order"
PURCHASE_ORDER = "Purchase order"
STOCK = "Stock level"
INVOICE = "Invoice"
RMA = "Return authorisation"
GOODS_RECEIPT = "Goods receipt"
EMPLOYEE = "Employee"
COST_CENTRE = "Cost centre"
GL_ACCOUNT = "GL account"

NORTHWIND_DATA_ELEMENTS = [
    {
        "name": CUSTOMER,
        "definition": "A trading account that can place orders: legal entity, account number, "
        "billing address, payment terms, VAT number and account manager.",
        "system_of_truth": ERP,
        "consuming_systems": [CRM, WMS, SHOP, DW, EDI],
        "decision_fields": "Account number, payment terms, credit status (open / on hold), "
        "price group, account manager.",
        "travelling_context": "Which system created the account and when; whether credit "
        "control has approved it; the legacy account number it replaces; whether a merge of "
        "duplicates is in progress.",
        "criticality": Criticality.CRITICAL,
        "truth_disputed": True,
        "steward": PRIYA,
    },
    {
        "name": SHIP_TO,
        "definition": "A delivery location of a customer: address, delivery window, "
        "access notes and the warehouse that serves it.",
        "system_of_truth": ERP,
        "consuming_systems": [WMS, SHOP, CRM],
        "decision_fields": "Postcode (drives serving warehouse and carrier), delivery window, "
        "tail-lift required.",
        "travelling_context": "Who changed it and when; whether an order already in picking "
        "uses the old address.",
        "criticality": Criticality.IMPORTANT,
        "steward": AMARA,
    },
    {
        "name": ACTIVE_CUSTOMER,
        "definition": "Sales count a customer as active if it ordered in the last 12 months; "
        "finance counts any account that is open and not on credit hold, ordered or not.",
        "system_of_truth": ERP,
        "consuming_systems": [CRM, DW],
        "decision_fields": "Last order date, account status, credit hold flag.",
        "travelling_context": "Which definition a figure uses, and the date it was computed.",
        "criticality": Criticality.CRITICAL,
        "defined_differently": True,
        "steward": GARETH,
    },
    {
        "name": CREDIT_LIMIT,
        "definition": "The maximum open balance a customer may carry before new orders are held "
        "for credit control.",
        "system_of_truth": None,
        "consuming_systems": [ERP, CRM, SHOP],
        "decision_fields": "Limit amount, currency, review date, insurer cover amount.",
        "travelling_context": "Who approved the limit and when; whether it is backed by credit "
        "insurance; the temporary uplift expiry date, if any. Today the limit lives in the "
        "legacy ERP but temporary uplifts live in a credit-control spreadsheet.",
        "criticality": Criticality.CRITICAL,
        "steward": GARETH,
    },
    {
        "name": SUPPLIER,
        "definition": "A vendor Northwind buys from: legal entity, ordering address, payment "
        "terms, approved regions and buyer.",
        "system_of_truth": ERP,
        "consuming_systems": [WMS, EDI, DW],
        "decision_fields": "Approval status per region, payment terms, lead time.",
        "travelling_context": "Onboarding checks completed (insurance, ethical sourcing "
        "declaration), who approved the supplier and for which regions.",
        "criticality": Criticality.IMPORTANT,
        "steward": EWA,
    },
    {
        "name": BANK,
        "definition": "The account a supplier is paid into: sort code and account number or "
        "IBAN, account name, date verified.",
        "system_of_truth": ERP,
        "consuming_systems": [],
        "decision_fields": "Account number, verification status, date of last change.",
        "travelling_context": "Who verified the change, by which call-back number, and whether "
        "a payment run has already picked up the old details.",
        "criticality": Criticality.CRITICAL,
        "steward": GARETH,
    },
    {
        "name": ITEM,
        "definition": "A stock-keeping unit: code, description, pack size, unit of measure, "
        "weight, hazardous flag and lifecycle status (active, run-out, discontinued).",
        "system_of_truth": ERP,
        "consuming_systems": [WMS, SHOP, EDI, DW, CRM],
        "decision_fields": "Lifecycle status, pack size, unit of measure, hazardous flag.",
        "travelling_context": "Effective date of a status change, replacement item for a "
        "discontinued one, customer-specific item codes used on EDI orders.",
        "criticality": Criticality.CRITICAL,
        "steward": EWA,
    },
    {
        "name": PRICE_LIST,
        "definition": "Net selling price per item and price group, with validity dates; "
        "customer-specific contract prices override the group price.",
        "system_of_truth": ERP,
        "consuming_systems": [SHOP, CRM, EDI],
        "decision_fields": "Price, price group, valid from / to, contract flag.",
        "travelling_context": "Who approved the change, the effective date, and whether open "
        "orders or quotes are priced on the old list.",
        "criticality": Criticality.CRITICAL,
        "steward": NIKHIL,
    },
    {
        "name": SALES_ORDER,
        "definition": "A customer's order: lines, quantities, prices, delivery address, "
        "requested date and channel (phone, web shop, EDI, sales rep).",
        "system_of_truth": ERP,
        "consuming_systems": [WMS, CRM, DW],
        "decision_fields": "Status (entered, credit hold, released, picking, shipped, invoiced), "
        "requested date, channel, priority.",
        "travelling_context": "Channel and creating user; whether credit control released it and "
        "who; whether it was changed after release; whether the WMS has started picking.",
        "criticality": Criticality.CRITICAL,
        "steward": PRIYA,
    },
    {
        "name": PURCHASE_ORDER,
        "definition": "An order placed with a supplier: lines, agreed prices, expected "
        "delivery date and receiving warehouse.",
        "system_of_truth": ERP,
        "consuming_systems": [WMS, EDI, DW],
        "decision_fields": "Agreed price, quantity, expected date, receiving warehouse.",
        "travelling_context": "Approval level reached, buyer, whether the supplier confirmed it "
        "by EDI.",
        "criticality": Criticality.IMPORTANT,
        "steward": None,
    },
    {
        "name": STOCK,
        "definition": "Quantity on hand, allocated and available per item and warehouse.",
        "system_of_truth": WMS,
        "consuming_systems": [ERP, SHOP, DW],
        "decision_fields": "Available quantity, warehouse, quarantine flag.",
        "travelling_context": "Time of the snapshot; whether a stock count is running; "
        "quantities reserved by the web shop but not yet allocated in the ERP.",
        "criticality": Criticality.CRITICAL,
        "steward": TOM,
    },
    {
        "name": INVOICE,
        "definition": "A sales invoice raised from a dispatched order: lines, VAT, totals, "
        "due date.",
        "system_of_truth": ERP,
        "consuming_systems": [CRM, DW, EDI],
        "decision_fields": "Amount, due date, dispute flag, paid amount.",
        "travelling_context": "The dispatch it bills, the order and price list it came from, "
        "and any open dispute case in the CRM.",
        "criticality": Criticality.CRITICAL,
        "steward": GARETH,
    },
    {
        "name": RMA,
        "definition": "Permission for a customer to return goods: items, reason, expected "
        "condition, credit or replacement.",
        "system_of_truth": ERP,
        "consuming_systems": [WMS, CRM],
        "decision_fields": "Reason code, credit or replacement, restock or scrap.",
        "travelling_context": "The original invoice and order, who approved the return, "
        "inspection result from the warehouse.",
        "criticality": Criticality.IMPORTANT,
        "steward": PRIYA,
    },
    {
        "name": GOODS_RECEIPT,
        "definition": "Goods booked in at a warehouse against a purchase order or an advance "
        "shipping notice.",
        "system_of_truth": WMS,
        "consuming_systems": [ERP, DW],
        "decision_fields": "Quantity received, condition, purchase order line.",
        "travelling_context": "Receiving warehouse and time, the ASN it matches, damaged or "
        "short quantities.",
        "criticality": Criticality.IMPORTANT,
        "steward": TOM,
    },
    {
        "name": EMPLOYEE,
        "definition": "A person on the payroll: employee number, role, line manager, cost "
        "centre, start and end date.",
        "system_of_truth": HR,
        "consuming_systems": [ERP, DW],
        "decision_fields": "Line manager (drives approvals), cost centre, approval limit, "
        "end date.",
        "travelling_context": "Effective date of each change; whether a change is still "
        "awaiting HR approval.",
        "criticality": Criticality.CRITICAL,
        "steward": RUTH,
    },
    {
        "name": COST_CENTRE,
        "definition": "A unit costs are booked to: code, name, budget holder, open or closed.",
        "system_of_truth": ERP,
        "consuming_systems": [HR, DW],
        "decision_fields": "Code, status, budget holder.",
        "travelling_context": "Closing date and the cost centre that replaces a closed one.",
        "criticality": Criticality.IMPORTANT,
        "steward": None,
    },
    {
        "name": GL_ACCOUNT,
        "definition": "An account of the general ledger in the new chart of accounts.",
        "system_of_truth": ERP,
        "consuming_systems": [HR, DW],
        "decision_fields": "Account code, type, mapping from the legacy chart of accounts.",
        "travelling_context": "The legacy account(s) it replaces and the date the mapping "
        "was approved by finance.",
        "criticality": Criticality.MINOR,
        "steward": GARETH,
    },
]

ORDER_TO_PICK = "Sales order to warehouse pick"
DISPATCH_TO_INVOICE = "Dispatch to invoice"
RETURN_TO_CREDIT = "Return to credit note"
NEW_CUSTOMER_CREDIT = "New customer credit check"
PRICE_TO_SHOP = "Price change to web shop"
STOCK_TO_SHOP = "Stock availability to web shop"
JOINER_TO_ERP = "Joiner and role change to ERP approvals"
SUPPLIER_ONBOARDING = "Supplier onboarding"
INVOICE_DISPUTE = "Invoice dispute to credit control"
RECEIPT_TO_AP = "Goods receipt to invoice matching"
EDI_INTAKE = "EDI order intake"
PRIORITY_PICKING = "Key-account priority picking"
PAYROLL_JOURNAL = "Payroll journal to general ledger"
NIGHTLY_DW = "Nightly load to data warehouse"

NORTHWIND_HANDOFFS = [
    {
        "name": ORDER_TO_PICK,
        "from_system": ERP,
        "from_team": "Customer service",
        "to_system": WMS,
        "to_team": "Warehouse operations",
        "trigger": "Order released by the credit check (automatic or by credit control).",
        "receiving_owner": TOM,
        "data_elements": [SALES_ORDER, ITEM, SHIP_TO, STOCK],
        "receiver_needs": "Requested delivery date, serving warehouse, priority, hazardous "
        "lines, and whether the order was changed after release.",
        "shared_record": True,
        "wait_rule": "Once the WMS has created a pick wave, changes from the ERP are held and "
        "customer service is told the order is in picking; a change then needs the warehouse "
        "supervisor to cancel the pick first. Before the wave, the latest ERP version wins.",
        "rejection_path": "The WMS rejects orders with unknown items or ship-to addresses back "
        "to an ERP error queue; customer service corrects and re-releases.",
        "fixer": PRIYA,
        "escalation_path": "Error queue older than 2 hours: customer service team leader, then "
        "Priya Raman.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Released orders are sent every 5 minutes. Orders over £25,000 or "
        "with hazardous lines stop for a supervisor to confirm before the pick wave.",
    },
    {
        "name": DISPATCH_TO_INVOICE,
        "from_system": WMS,
        "from_team": "Warehouse operations",
        "to_system": ERP,
        "to_team": "Order-to-cash",
        "trigger": "Dispatch confirmed at the loading bay (scan of the last parcel).",
        "receiving_owner": PRIYA,
        "data_elements": [SALES_ORDER, INVOICE, CUSTOMER, PRICE_LIST],
        "receiver_needs": "Shipped quantities per line, backordered quantities, carrier and "
        "tracking number.",
        "shared_record": True,
        "wait_rule": "No invoice while the order has an open change request or an open dispute "
        "case; the invoice run skips it and lists it on the morning exceptions report.",
        "rejection_path": "Quantity or price mismatches go to the billing exceptions queue.",
        "fixer": PRIYA,
        "escalation_path": "Anything in the queue for more than one working day goes to the "
        "financial controller.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Invoices are created automatically for shipped quantities at the "
        "order price. Invoices above £10,000 or more than 5% away from the order value wait "
        "for a billing clerk to approve.",
    },
    {
        "name": RETURN_TO_CREDIT,
        "from_system": WMS,
        "from_team": "Warehouse returns bay",
        "to_system": ERP,
        "to_team": "Customer service",
        "trigger": "Returned goods inspected and booked in against a return authorisation.",
        "receiving_owner": AMARA,
        "data_elements": [RMA, INVOICE, ITEM],
        "receiver_needs": "Inspection result (restock, scrap, return to supplier) and the "
        "original invoice line.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Returns without an authorisation are held in the returns cage; "
        "customer service contacts the customer within two days.",
        "fixer": AMARA,
        "escalation_path": "Credit notes above £2,000 go to the financial controller.",
        "mechanism": Mechanism.PARTLY_MANUAL,
        "automation_rules": "",
    },
    {
        "name": NEW_CUSTOMER_CREDIT,
        "from_system": CRM,
        "from_team": "Sales",
        "to_system": ERP,
        "to_team": "Credit control",
        "trigger": "Sales rep marks a prospect as 'ready to trade' in the CRM.",
        "receiving_owner": GARETH,
        "data_elements": [CUSTOMER, CREDIT_LIMIT, ACTIVE_CUSTOMER],
        "receiver_needs": "Company registration number, expected monthly spend, requested "
        "terms, trade references.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Credit control replies to the rep's e-mail with the reason; the rep "
        "re-sends the form.",
        "fixer": GARETH,
        "escalation_path": "Requests above £50,000 limit go to the finance director.",
        "mechanism": Mechanism.EMAIL,
        "automation_rules": "",
    },
    {
        "name": PRICE_TO_SHOP,
        "from_system": ERP,
        "from_team": "Sales operations",
        "to_system": SHOP,
        "to_team": "E-commerce",
        "trigger": "Weekly price review every Thursday.",
        "receiving_owner": LENA,
        "data_elements": [PRICE_LIST, ITEM],
        "receiver_needs": "Effective date, price group, contract prices that must not change.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "The web shop team e-mails back rows that fail to import.",
        "fixer": NIKHIL,
        "escalation_path": "Sales operations manager.",
        "mechanism": Mechanism.SPREADSHEET,
        "automation_rules": "",
    },
    {
        "name": STOCK_TO_SHOP,
        "from_system": WMS,
        "from_team": "Warehouse operations",
        "to_system": SHOP,
        "to_team": "E-commerce",
        "trigger": "Every 15 minutes.",
        "receiving_owner": LENA,
        "data_elements": [STOCK, ITEM],
        "receiver_needs": "Available quantity per warehouse, time of the snapshot, items in "
        "quarantine.",
        "shared_record": True,
        "wait_rule": "",
        "rejection_path": "Unknown item codes are logged by the web shop and skipped.",
        "fixer": TOM,
        "escalation_path": "Feed older than 2 hours: IT Service Desk, then the web shop "
        "manager switches to 'call to confirm availability'.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Only available (not allocated, not quarantined) stock is "
        "published. A drop of more than 50% for an item in one run is held for the warehouse "
        "supervisor to confirm.",
    },
    {
        "name": JOINER_TO_ERP,
        "from_system": HR,
        "from_team": "People team",
        "to_system": ERP,
        "to_team": "Finance systems",
        "trigger": "Joiner, mover or leaver approved in the HR system.",
        "receiving_owner": GARETH,
        "data_elements": [EMPLOYEE, COST_CENTRE],
        "receiver_needs": "Effective date, line manager, cost centre, approval limit.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Records with an unknown or closed cost centre are rejected into an "
        "integration error log.",
        "fixer": None,
        "escalation_path": "None agreed yet.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Runs nightly. Changes to approval limits above £5,000 wait for "
        "the financial controller to confirm in the ERP.",
    },
    {
        "name": SUPPLIER_ONBOARDING,
        "from_system": None,
        "from_team": "Purchasing",
        "to_system": ERP,
        "to_team": "Accounts payable",
        "trigger": "Buyer submits the new-supplier form with insurance and bank letter.",
        "receiving_owner": GARETH,
        "data_elements": [SUPPLIER, BANK],
        "receiver_needs": "Approved regions, payment terms, verified bank letter on headed paper.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Accounts payable returns the form to the buyer with the missing "
        "item; the supplier stays blocked for payment.",
        "fixer": EWA,
        "escalation_path": "Purchasing manager, then financial controller.",
        "mechanism": Mechanism.PARTLY_MANUAL,
        "automation_rules": "",
    },
    {
        "name": INVOICE_DISPUTE,
        "from_system": CRM,
        "from_team": "Customer service",
        "to_system": ERP,
        "to_team": "Credit control",
        "trigger": "Customer service case categorised as 'invoice query'.",
        "receiving_owner": PRIYA,
        "data_elements": [INVOICE, CUSTOMER],
        "receiver_needs": "Disputed amount, reason, the invoice lines concerned.",
        "shared_record": True,
        "wait_rule": "While a dispute is open, dunning letters and the automatic credit hold "
        "for that invoice are suspended; payment allocation still runs.",
        "rejection_path": "Cases without an invoice number go back to the customer service agent.",
        "fixer": AMARA,
        "escalation_path": "Disputes open for more than 10 days go to the financial controller.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "The CRM case sets a dispute flag on the invoice. Only a credit "
        "controller can clear it; clearing it requires a resolution note.",
    },
    {
        "name": RECEIPT_TO_AP,
        "from_system": WMS,
        "from_team": "Warehouse goods-in",
        "to_system": ERP,
        "to_team": "Accounts payable",
        "trigger": "Goods receipt confirmed in the WMS.",
        "receiving_owner": GARETH,
        "data_elements": [GOODS_RECEIPT, PURCHASE_ORDER, SUPPLIER],
        "receiver_needs": "Received quantities per purchase order line and any damage noted.",
        "shared_record": True,
        "wait_rule": "A purchase order line being amended by purchasing is locked for matching "
        "until the amendment is approved; supplier invoices against it wait.",
        "rejection_path": "Receipts that match no purchase order line go to the purchasing "
        "exceptions queue.",
        "fixer": EWA,
        "escalation_path": "Purchasing manager.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Three-way match with 2% price tolerance; anything outside "
        "tolerance waits for a buyer to approve.",
    },
    {
        "name": EDI_INTAKE,
        "from_system": EDI,
        "from_team": "Key accounts",
        "to_system": ERP,
        "to_team": "Customer service",
        "trigger": "Purchase order message received from a key-account customer.",
        "receiving_owner": PRIYA,
        "data_elements": [SALES_ORDER, CUSTOMER, ITEM, PRICE_LIST],
        "receiver_needs": "Customer's own item codes, requested delivery date, their order "
        "number for the invoice.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Messages with unknown item codes are rejected to the EDI error mailbox.",
        "fixer": PRIYA,
        "escalation_path": "Key account manager for the customer.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "",
    },
    {
        "name": PRIORITY_PICKING,
        "from_system": ERP,
        "from_team": "Customer service",
        "to_system": WMS,
        "to_team": "Warehouse supervisors",
        "trigger": "Key account phones about an urgent delivery.",
        "receiving_owner": TOM,
        "data_elements": [SALES_ORDER],
        "receiver_needs": "Which orders to pick first today.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Supervisor phones customer service back if it cannot be done today.",
        "fixer": TOM,
        "escalation_path": "Warehouse operations manager.",
        "mechanism": Mechanism.PARTLY_MANUAL,
        "automation_rules": "",
        "is_workaround": True,
    },
    {
        "name": PAYROLL_JOURNAL,
        "from_system": HR,
        "from_team": "Payroll",
        "to_system": ERP,
        "to_team": "Finance",
        "trigger": "Monthly payroll approved (working day 20).",
        "receiving_owner": GARETH,
        "data_elements": [EMPLOYEE, COST_CENTRE, GL_ACCOUNT],
        "receiver_needs": "Totals per cost centre and GL account, employer costs separated.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Journal lines with closed cost centres are rejected whole; payroll "
        "re-maps and re-sends.",
        "fixer": RUTH,
        "escalation_path": "Financial controller.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "The journal is posted as a draft; a finance accountant reviews "
        "totals against the payroll summary before posting.",
    },
    {
        "name": NIGHTLY_DW,
        "from_system": ERP,
        "from_team": "Finance systems",
        "to_system": DW,
        "to_team": "Management information",
        "trigger": "Nightly at 02:00 after the ERP batch jobs.",
        "receiving_owner": GARETH,
        "data_elements": [SALES_ORDER, INVOICE, CUSTOMER, ITEM, STOCK],
        "receiver_needs": "Load completeness (row counts per table) and the time of the "
        "source snapshot.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "A failed load keeps yesterday's data and flags dashboards as stale.",
        "fixer": IT_DESK,
        "escalation_path": "IT Service Desk, then the financial controller if not fixed by 08:00.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Load is rejected if any table's row count drops by more than 10% "
        "from the previous night; a finance analyst confirms before it is re-run.",
    },
]

NORTHWIND_EXCEPTIONS = [
    {
        "name": "Customer with two account numbers",
        "scenario": "A customer opened in the CRM by sales also exists in the legacy ERP under "
        "an older account number; after migration both land in the cloud ERP and orders split "
        "across them.",
        "handoff": NEW_CUSTOMER_CREDIT,
        "data_elements": [CUSTOMER, CREDIT_LIMIT],
        "expected_handling": Handling.PERSON_DECIDES,
        "decision_owner": PRIYA,
        "severity": Severity.HIGH,
        "test_status": TestStatus.UNTESTED,
    },
    {
        "name": "Order changed after credit release",
        "scenario": "Customer service adds lines to an order after credit control released it, "
        "taking the customer over their limit.",
        "handoff": ORDER_TO_PICK,
        "data_elements": [SALES_ORDER, CREDIT_LIMIT],
        "expected_handling": Handling.PAUSE,
        "decision_owner": PRIYA,
        "severity": Severity.HIGH,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 6,
        "evidence": "Test script OTC-014 run in the test environment: order re-entered credit "
        "hold after the change and did not reach the WMS; screenshots in the test log.",
    },
    {
        "name": "Employee whose role and manager change on the same day",
        "scenario": "A warehouse supervisor is promoted to shift manager and moves to a new "
        "line manager with the same effective date; purchase approvals could route to the old "
        "manager or to nobody.",
        "handoff": JOINER_TO_ERP,
        "data_elements": [EMPLOYEE, COST_CENTRE],
        "expected_handling": Handling.PAUSE,
        "decision_owner": RUTH,
        "severity": Severity.HIGH,
        "test_status": TestStatus.UNTESTED,
    },
    {
        "name": "Supplier blocked in one region only",
        "scenario": "A cleaning-chemicals supplier is approved for England but blocked for "
        "Wales pending a licence; a Bristol buyer raises a purchase order for the Welsh depot.",
        "handoff": RECEIPT_TO_AP,
        "data_elements": [SUPPLIER, PURCHASE_ORDER],
        "expected_handling": Handling.REJECT,
        "decision_owner": EWA,
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 12,
        "evidence": "Test PTP-007: the ERP refused the purchase order with the region block "
        "message; the buyer saw the reason and the alternative supplier.",
    },
    {
        "name": "Partial shipment with backorder",
        "scenario": "Only 40 of 60 cases are in stock; 40 ship today and 20 go on backorder.",
        "handoff": DISPATCH_TO_INVOICE,
        "data_elements": [SALES_ORDER, INVOICE, STOCK],
        "expected_handling": Handling.CONTINUE,
        "decision_owner": PRIYA,
        "severity": Severity.HIGH,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 4,
        "evidence": "Test OTC-021: invoice raised for 40 cases only, backorder line kept with "
        "its original price; second dispatch invoiced separately. Signed test sheet attached to "
        "ticket RR-311.",
    },
    {
        "name": "Credit note larger than the original invoice",
        "scenario": "A return is credited at the current list price, which rose since the "
        "sale, so the credit exceeds what the customer paid.",
        "handoff": RETURN_TO_CREDIT,
        "data_elements": [INVOICE, RMA, PRICE_LIST],
        "expected_handling": Handling.ESCALATE,
        "decision_owner": GARETH,
        "severity": Severity.HIGH,
        "test_status": TestStatus.FAILED,
        "tested_days_ago": 3,
        "evidence": "Test OTC-030 failed: the ERP issued a £412 credit against a £380 invoice "
        "without asking for approval. Defect LL-5521 raised with the implementation partner.",
    },
    {
        "name": "Price change while an order is open",
        "scenario": "The Thursday price update raises a price while a customer's web order "
        "from Wednesday is still unshipped.",
        "handoff": PRICE_TO_SHOP,
        "data_elements": [PRICE_LIST, SALES_ORDER],
        "expected_handling": Handling.PERSON_DECIDES,
        "decision_owner": NIKHIL,
        "severity": Severity.HIGH,
        "test_status": TestStatus.UNTESTED,
    },
    {
        "name": "Two suppliers with the same bank account",
        "scenario": "A new supplier's bank details match an existing supplier's account — "
        "a common sign of invoice fraud.",
        "handoff": SUPPLIER_ONBOARDING,
        "data_elements": [SUPPLIER, BANK],
        "expected_handling": Handling.PAUSE,
        "decision_owner": GARETH,
        "severity": Severity.HIGH,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 9,
        "evidence": "Test PTP-012: duplicate-account check blocked the supplier for payment and "
        "alerted accounts payable; call-back procedure followed.",
    },
    {
        "name": "Return of a discontinued item",
        "scenario": "A customer returns a mop bucket that was discontinued last month; there "
        "is no active item to restock it against.",
        "handoff": RETURN_TO_CREDIT,
        "data_elements": [ITEM, RMA],
        "expected_handling": Handling.PERSON_DECIDES,
        "decision_owner": PRIYA,
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.UNTESTED,
    },
    {
        "name": "Web shop sells stock already allocated to an EDI order",
        "scenario": "Between two stock feeds the web shop accepts an order for the last "
        "pallets that an EDI order has just been allocated.",
        "handoff": STOCK_TO_SHOP,
        "data_elements": [STOCK, SALES_ORDER],
        "expected_handling": Handling.ESCALATE,
        "decision_owner": TOM,
        "severity": Severity.HIGH,
        "test_status": TestStatus.UNTESTED,
    },
    {
        "name": "EDI order for a customer on credit hold",
        "scenario": "A key account sends an EDI order while its account is on credit hold "
        "for an overdue invoice.",
        "handoff": EDI_INTAKE,
        "data_elements": [CUSTOMER, CREDIT_LIMIT, SALES_ORDER],
        "expected_handling": Handling.PAUSE,
        "decision_owner": PRIYA,
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.UNTESTED,
    },
    {
        "name": "Invoice disputed after part payment",
        "scenario": "A customer pays 70% of an invoice and disputes the rest as short-delivered.",
        "handoff": INVOICE_DISPUTE,
        "data_elements": [INVOICE, CUSTOMER],
        "expected_handling": Handling.PERSON_DECIDES,
        "decision_owner": PRIYA,
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 8,
        "evidence": "Test OTC-026: dispute flag set on the open remainder only; dunning "
        "suspended for that amount; paid part allocated normally.",
    },
    {
        "name": "Goods received without a purchase order",
        "scenario": "A supplier delivers a replacement for damaged goods without a new purchase "
        "order.",
        "handoff": RECEIPT_TO_AP,
        "data_elements": [GOODS_RECEIPT, PURCHASE_ORDER],
        "expected_handling": Handling.PERSON_DECIDES,
        "decision_owner": EWA,
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 12,
        "evidence": "Test PTP-015: receipt held in goods-in quarantine, purchasing exceptions "
        "queue showed it with the supplier's delivery note.",
    },
    {
        "name": "Leaver with open expense claims",
        "scenario": "An employee leaves with two expense claims awaiting approval by a manager "
        "who has also left.",
        "handoff": PAYROLL_JOURNAL,
        "data_elements": [EMPLOYEE],
        "expected_handling": Handling.PERSON_DECIDES,
        "decision_owner": RUTH,
        "severity": Severity.LOW,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 15,
        "evidence": "Test HR-004: claims re-routed to the cost centre's budget holder and paid "
        "in the final salary.",
    },
    {
        "name": "Cost centre closed mid-month",
        "scenario": "The Coventry returns cost centre closes on the 15th; payroll for the "
        "month still has costs booked to it.",
        "handoff": PAYROLL_JOURNAL,
        "data_elements": [COST_CENTRE, GL_ACCOUNT, EMPLOYEE],
        "expected_handling": Handling.PAUSE,
        "decision_owner": GARETH,
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 10,
        "evidence": "Test R2R-009: journal rejected whole with the closed cost centre named; "
        "re-sent after payroll mapped the lines to the successor cost centre.",
    },
]

NORTHWIND_REPORTS = [
    {
        "name": "Daily order backlog",
        "timing": ReportTiming.DAY_ONE,
        "business_question": "Which orders have not shipped, why not, and which will miss the "
        "promised delivery date?",
        "source_elements": [SALES_ORDER, STOCK, CUSTOMER],
        "source_systems": [ERP, WMS],
        "definition_differences": "Customer service counts orders on credit hold as backlog; "
        "the warehouse counts only released orders. The report shows both, labelled.",
        "needs_reconciliation": False,
        "shows_why": True,
        "owner": PRIYA,
    },
    {
        "name": "Cash collection forecast",
        "timing": ReportTiming.DAY_ONE,
        "business_question": "How much cash will come in over the next 13 weeks, and which "
        "disputes or holds put it at risk?",
        "source_elements": [INVOICE, CUSTOMER, CREDIT_LIMIT],
        "source_systems": [ERP, CRM],
        "definition_differences": "Disputes live in the CRM, open items in the ERP; the two "
        "are joined by hand in a workbook every Monday.",
        "needs_reconciliation": True,
        "shows_why": False,
        "owner": GARETH,
    },
    {
        "name": "Stock availability by warehouse",
        "timing": ReportTiming.DAY_ONE,
        "business_question": "What can we promise customers today, per warehouse, and what "
        "is stuck in quarantine?",
        "source_elements": [STOCK, ITEM],
        "source_systems": [WMS, DW],
        "definition_differences": "",
        "needs_reconciliation": False,
        "shows_why": True,
        "owner": TOM,
    },
    {
        "name": "Month-end close pack",
        "timing": ReportTiming.DAY_ONE,
        "business_question": "Is the month's profit and loss complete and correct, and what "
        "is still open before we close?",
        "source_elements": [INVOICE, GL_ACCOUNT, COST_CENTRE],
        "source_systems": [ERP],
        "definition_differences": "",
        "needs_reconciliation": False,
        "shows_why": True,
        "owner": GARETH,
    },
    {
        "name": "Margin by customer",
        "timing": ReportTiming.AFTER_STABILIZATION,
        "business_question": "Which customers are profitable after discounts, delivery cost "
        "and returns?",
        "source_elements": [INVOICE, PRICE_LIST, ITEM, ACTIVE_CUSTOMER],
        "source_systems": [ERP, DW],
        "definition_differences": "Sales and finance disagree on which customers are "
        "'active', so customer counts and average margin differ between their versions.",
        "needs_reconciliation": False,
        "shows_why": False,
        "owner": NIKHIL,
    },
    {
        "name": "Payroll cost by cost centre",
        "timing": ReportTiming.AFTER_STABILIZATION,
        "business_question": "What does each department cost in pay and employer costs, "
        "against budget?",
        "source_elements": [EMPLOYEE, COST_CENTRE, GL_ACCOUNT],
        "source_systems": [HR, ERP, DW],
        "definition_differences": "",
        "needs_reconciliation": False,
        "shows_why": False,
        "owner": RUTH,
    },
    {
        "name": "Supplier on-time in-full",
        "timing": ReportTiming.AFTER_STABILIZATION,
        "business_question": "Which suppliers deliver late or short, and how often?",
        "source_elements": [PURCHASE_ORDER, GOODS_RECEIPT, SUPPLIER],
        "source_systems": [ERP, WMS, DW],
        "definition_differences": "",
        "needs_reconciliation": False,
        "shows_why": True,
        "owner": EWA,
    },
]

NORTHWIND_DUTIES = [
    {
        "kind": DutyKind.REVIEW_FAILURES,
        "handoff": None,
        "owner": PRIYA,
        "notes": "Weekly 30-minute review of failed and held integration messages with the "
        "IT Service Desk; leads the incident review after any outage.",
    },
    {
        "kind": DutyKind.APPROVE_CHANGES,
        "handoff": None,
        "owner": GARETH,
        "notes": "Chairs the fortnightly change board; no field mapping or integration rule "
        "changes in production without approval.",
    },
    {
        "kind": DutyKind.UPDATE_DOCS,
        "handoff": None,
        "owner": IT_DESK,
        "notes": "Keeps the integration runbook and interface catalogue current.",
    },
    {
        "kind": DutyKind.RESPOND_DRIFT,
        "handoff": None,
        "owner": HELEN,
        "notes": "Quarterly walk-through of each handoff with the teams that run it, comparing "
        "what people do with what the integration expects.",
    },
    {
        "kind": DutyKind.CORE_VS_WORKAROUND,
        "handoff": None,
        "owner": None,
        "notes": "Not yet assigned: someone must decide whether priority picking and the price "
        "spreadsheet become part of the process or are retired.",
    },
    {
        "kind": DutyKind.AUTOMATION_RULES,
        "handoff": None,
        "owner": HELEN,
        "notes": "Keeps the register of automation rules and human checkpoints; any new "
        "automatic approval needs her sign-off.",
    },
    {
        "kind": DutyKind.MONITOR_FLOWS,
        "handoff": None,
        "owner": AMARA,
        "notes": "Daily check of the integration dashboard for orders, invoices and stock "
        "feeds before 09:00.",
    },
    {
        "kind": DutyKind.AUTOMATION_RULES,
        "handoff": DISPATCH_TO_INVOICE,
        "owner": MARCO,
        "notes": "The implementation partner configured the invoice approval thresholds and "
        "is the only one who changes them today.",
    },
    {
        "kind": DutyKind.MONITOR_FLOWS,
        "handoff": STOCK_TO_SHOP,
        "owner": LENA,
        "notes": "Alert when the stock feed is more than 30 minutes old.",
    },
    {
        "kind": DutyKind.REVIEW_FAILURES,
        "handoff": EDI_INTAKE,
        "owner": PRIYA,
        "notes": "Clears the EDI error mailbox twice a day.",
    },
    {
        "kind": DutyKind.APPROVE_CHANGES,
        "handoff": PRICE_TO_SHOP,
        "owner": NIKHIL,
        "notes": "Signs off each weekly price file before the web shop imports it.",
    },
    {
        "kind": DutyKind.UPDATE_DOCS,
        "handoff": PAYROLL_JOURNAL,
        "owner": RUTH,
        "notes": "Keeps the payroll-to-GL mapping table current when cost centres change.",
    },
    {
        "kind": DutyKind.MONITOR_FLOWS,
        "handoff": NIGHTLY_DW,
        "owner": SAM,
        "deputy": IT_DESK,
        "notes": "Watches the load dashboard each morning; row-count alerts page him first.",
    },
    {
        "kind": DutyKind.APPROVE_CHANGES,
        "handoff": NIGHTLY_DW,
        "owner": SAM,
        "notes": "Approves changes to what the warehouse loads and how measures are derived.",
    },
]

# What the first registers did not record: data quality, interface status, build kinds,
# deputies and the cutover calendar. Rows not named here get the healthy defaults below.
NORTHWIND_EXTRAS = {
    "systems": {
        LEGACY: {"build": BuildKind.CUSTOM},
        DW: {"build": BuildKind.CUSTOM},
        EDI: {"build": BuildKind.STANDARD},
        SHOP: {"build": BuildKind.STANDARD},
    },
    "data-elements": {
        CUSTOMER: {"accuracy_percent": Decimal("96.4")},
        CREDIT_LIMIT: {
            "population": Population.KEYED,
            "entry_validated": False,
            "accuracy_percent": None,
            "accuracy_measured_on": None,
        },
        EMPLOYEE: {
            "population": Population.INTEGRATED,
            "accuracy_percent": None,
            "accuracy_measured_on": None,
        },
        BANK: {"population": Population.KEYED, "entry_validated": True},
        INVOICE: {"period_date": PeriodDate.UNKNOWN},
        PURCHASE_ORDER: {"period_date": PeriodDate.DOCUMENT},
        GL_ACCOUNT: {"period_date": PeriodDate.POSTING},
        ACTIVE_CUSTOMER: {"context_travels": ContextTravels.PARTLY},
    },
    "handoffs": {
        EDI_INTAKE: {"interface_status": InterfaceStatus.DESCOPED, "interface_tested_on": None},
        STOCK_TO_SHOP: {"human_checkpoint": Checkpoint.NO},
    },
}

# Days from today.
NORTHWIND_BLACKOUTS = [
    {"name": "Quarter-end close", "starts_on": 86, "ends_on": 92},
    {"name": "Summer events peak", "starts_on": 150, "ends_on": 180},
]

# Deputies of the project-wide duties: who steps in. Monitoring has none, on purpose.
NORTHWIND_DEPUTIES = {
    DutyKind.REVIEW_FAILURES: AMARA,
    DutyKind.APPROVE_CHANGES: HELEN,
    DutyKind.AUTOMATION_RULES: GARETH,
}

# --------------------------------------------------------------------------------------------
# Second project: Harbor CRM refresh
# --------------------------------------------------------------------------------------------

HARBOR_PROJECT = {
    "slug": "harbor-crm-refresh",
    "name": "Harbor CRM refresh",
    "summary": (
        "The Harbor marine-parts division replaces a heavily customised CRM from 2014 with a "
        "standard cloud CRM and reconnects it to the finance ERP and the marketing automation "
        "platform. In scope: accounts, contacts, opportunities and marketing consent. Quoting "
        "stays in the ERP."
    ),
    "desired_outcome": (
        "Every won opportunity becomes an ERP customer the same working day (today: 3 to 5 "
        "days by e-mail). Duplicate accounts below 1% (today: about 7%). Consent changes reach "
        "marketing within one hour."
    ),
    "lifecycle": Lifecycle.DRAFT,
    # The division sits in Halifax, Nova Scotia: its pages and dossiers show Atlantic time.
    "time_zone": "America/Halifax",
    "breakage_plan": (
        "The CRM administrator is called first. Won deals queue in the CRM and are replayed "
        "once the ERP link is back; marketing sends pause whenever the consent sync is more "
        "than one hour old."
    ),
}

HARBOR_DATES = {
    "plan_lock_date": 40,
    "go_live_date": 120,
    "parallel_run_start": None,
    "parallel_run_end": None,
}

HARBOR_MEMBERS = {
    "demo-lead": Role.LEAD,
    "demo-outsider": Role.CONTRIBUTOR,
}

H_CRM = "Cloud CRM"
H_ERP = "Finance ERP"
H_MKT = "Marketing automation"

HARBOR_SYSTEMS = [
    {"name": H_CRM, "vendor": "Brightpath CRM", "purpose": "Accounts, contacts, pipeline."},
    {"name": H_ERP, "vendor": "Ledgerline Software", "purpose": "Customers, quotes, invoices."},
    {"name": H_MKT, "vendor": "Pulsewave", "purpose": "Campaigns, web forms, lead scoring."},
]

OLIVIA = "Olivia Grant"
LEO = "Leo Brandt"
IAN = "Ian Collier"

HARBOR_OWNERS = [
    {
        "name": OLIVIA,
        "email": "olivia.grant@example.com",
        "team": "Sales (sales director, Harbor division)",
        "kind": OwnerKind.BUSINESS,
    },
    {
        "name": LEO,
        "email": "leo.brandt@example.com",
        "team": "Sales operations (CRM administrator)",
        "kind": OwnerKind.BUSINESS,
        "user": "demo-outsider",
    },
    {
        "name": IAN,
        "email": "ian.collier@example.com",
        "team": "Finch Digital (CRM integrator)",
        "kind": OwnerKind.VENDOR,
    },
]

ACCOUNT = "Account"
CONTACT = "Contact"
OPPORTUNITY = "Opportunity"
CONSENT = "Marketing consent"

HARBOR_DATA_ELEMENTS = [
    {
        "name": ACCOUNT,
        "definition": "A company Harbor sells to or hopes to sell to; becomes an ERP customer "
        "when the first deal is won.",
        "system_of_truth": H_CRM,
        "consuming_systems": [H_ERP, H_MKT],
        "decision_fields": "Account owner, segment, ERP customer number.",
        "travelling_context": "Whether it was merged from duplicates, and which record survived.",
        "criticality": Criticality.CRITICAL,
        "steward": LEO,
    },
    {
        "name": CONTACT,
        "definition": "A person at an account.",
        "system_of_truth": H_CRM,
        "consuming_systems": [H_MKT],
        "decision_fields": "E-mail, role, account.",
        "travelling_context": "Source (web form, trade show, rep), date captured.",
        "criticality": Criticality.IMPORTANT,
        "steward": LEO,
    },
    {
        "name": OPPORTUNITY,
        "definition": "A potential deal with stage, value and expected close date.",
        "system_of_truth": H_CRM,
        "consuming_systems": [H_ERP],
        "decision_fields": "Stage, value, close date.",
        "travelling_context": "Quote number in the ERP, who marked it won.",
        "criticality": Criticality.IMPORTANT,
        "steward": OLIVIA,
    },
    {
        "name": CONSENT,
        "definition": "Whether a contact agreed to receive marketing, per channel.",
        "system_of_truth": H_MKT,
        "consuming_systems": [H_CRM],
        "decision_fields": "Channel, opted in / out, date.",
        "travelling_context": "Wording shown when consent was given, and where.",
        "criticality": Criticality.CRITICAL,
        "truth_disputed": True,
        "steward": None,
    },
]

WON_TO_ERP = "Won opportunity to ERP customer"
LEAD_TO_SALES = "Web lead to sales"
CONSENT_SYNC = "Consent change to CRM"

HARBOR_HANDOFFS = [
    {
        "name": WON_TO_ERP,
        "from_system": H_CRM,
        "from_team": "Sales",
        "to_system": H_ERP,
        "to_team": "Finance",
        "trigger": "Opportunity marked 'closed won'.",
        "receiving_owner": OLIVIA,
        "data_elements": [ACCOUNT, OPPORTUNITY],
        "receiver_needs": "Legal name, VAT number, billing address, agreed terms.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Finance rejects accounts without a VAT number back to the rep.",
        "fixer": LEO,
        "escalation_path": "Sales director.",
        "mechanism": Mechanism.EMAIL,
        "automation_rules": "",
    },
    {
        "name": LEAD_TO_SALES,
        "from_system": H_MKT,
        "from_team": "Marketing",
        "to_system": H_CRM,
        "to_team": "Sales",
        "trigger": "Lead score reaches 60.",
        "receiving_owner": OLIVIA,
        "data_elements": [CONTACT, ACCOUNT],
        "receiver_needs": "What the lead downloaded or asked for.",
        "shared_record": True,
        "wait_rule": "If the contact already has an open opportunity, the lead is attached to "
        "it instead of creating a new one.",
        "rejection_path": "Reps can return a lead to marketing with a reason.",
        "fixer": LEO,
        "escalation_path": "Sales director.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Leads from competitors' domains are dropped; the rest are "
        "assigned by territory, and a rep must accept within one working day.",
    },
    {
        "name": CONSENT_SYNC,
        "from_system": H_MKT,
        "from_team": "Marketing",
        "to_system": H_CRM,
        "to_team": "Sales",
        "trigger": "Contact opts in or out.",
        "receiving_owner": LEO,
        "data_elements": [CONSENT, CONTACT],
        "receiver_needs": "Channel and date of the change.",
        "shared_record": False,
        "wait_rule": "",
        "rejection_path": "Unknown contacts are logged.",
        "fixer": None,
        "escalation_path": "CRM administrator.",
        "mechanism": Mechanism.AUTOMATED,
        "automation_rules": "Every 15 minutes; an opt-out always wins over an opt-in.",
    },
]

HARBOR_EXCEPTIONS = [
    {
        "name": "Lead matches two existing accounts",
        "scenario": "A web lead's e-mail domain belongs to two accounts that were never merged.",
        "handoff": LEAD_TO_SALES,
        "data_elements": [ACCOUNT, CONTACT],
        "expected_handling": Handling.PERSON_DECIDES,
        "decision_owner": LEO,
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.UNTESTED,
    },
    {
        "name": "Contact opts out while a campaign is scheduled",
        "scenario": "A contact unsubscribes an hour before a scheduled mailing they are in.",
        "handoff": CONSENT_SYNC,
        "data_elements": [CONSENT],
        "expected_handling": Handling.REJECT,
        "decision_owner": OLIVIA,
        "severity": Severity.HIGH,
        "test_status": TestStatus.UNTESTED,
    },
    {
        "name": "Deal won for an account on credit hold",
        "scenario": "A rep closes a deal for an existing customer that finance put on hold.",
        "handoff": WON_TO_ERP,
        "data_elements": [ACCOUNT, OPPORTUNITY],
        "expected_handling": Handling.ESCALATE,
        "decision_owner": OLIVIA,
        "severity": Severity.MEDIUM,
        "test_status": TestStatus.PASSED,
        "tested_days_ago": 5,
        "evidence": "Test CRM-03: the ERP kept the hold and finance was e-mailed.",
    },
]

HARBOR_REPORTS = [
    {
        "name": "Weekly pipeline by stage",
        "timing": ReportTiming.DAY_ONE,
        "business_question": "How much business is expected to close this quarter, by stage "
        "and rep?",
        "source_elements": [OPPORTUNITY, ACCOUNT],
        "source_systems": [H_CRM],
        "definition_differences": "",
        "needs_reconciliation": False,
        "shows_why": True,
        "owner": OLIVIA,
    },
    {
        "name": "Lead conversion by source",
        "timing": ReportTiming.AFTER_STABILIZATION,
        "business_question": "Which campaigns produce leads that become customers?",
        "source_elements": [CONTACT, OPPORTUNITY],
        "source_systems": [H_CRM, H_MKT],
        "definition_differences": "Marketing counts a lead when scored; sales when accepted.",
        "needs_reconciliation": True,
        "shows_why": False,
        "owner": LEO,
    },
]

HARBOR_DUTIES = [
    {
        "kind": DutyKind.REVIEW_FAILURES,
        "handoff": None,
        "owner": LEO,
        "notes": "Checks the sync error log every morning.",
    },
    {
        "kind": DutyKind.APPROVE_CHANGES,
        "handoff": None,
        "owner": OLIVIA,
        "notes": "Approves changes to stages, lead scoring and field mappings.",
    },
]

HARBOR_ASSURANCE = [
    {
        "reviewer": "CRM partner quality review",
        "days_ago": 5,
        "rating": AssuranceRating.RED,
        "summary": "Lead routing and the hold sync to the ERP were not tested end to end; the "
        "data load rehearsal lost 4 % of contacts.",
        "caveats": "Re-rate after a clean second rehearsal and a signed-off routing test.",
    }
]

NORTHWIND_ASSURANCE = [
    {
        "reviewer": "Internal audit (IT audit team)",
        "days_ago": 12,
        "rating": AssuranceRating.AMBER,
        "summary": "The cutover plan is credible and the integration inventory is complete. "
        "Exception handling around credit and invoicing is behind plan, and two post-launch "
        "duties still sit with the implementation partner.",
        "caveats": "Amber holds only if the failed over-credit test passes before plan lock and "
        "the customer master has one agreed system of truth by then; otherwise red.",
    }
]

PROJECTS = [
    {
        "project": NORTHWIND_PROJECT,
        "dates": NORTHWIND_DATES,
        "members": NORTHWIND_MEMBERS,
        "systems": NORTHWIND_SYSTEMS,
        "owners": NORTHWIND_OWNERS,
        "data_elements": NORTHWIND_DATA_ELEMENTS,
        "handoffs": NORTHWIND_HANDOFFS,
        "exception_cases": NORTHWIND_EXCEPTIONS,
        "reports": NORTHWIND_REPORTS,
        "duties": NORTHWIND_DUTIES,
        "accountable_executive": MARTIN,
        "assurance": NORTHWIND_ASSURANCE,
        "extras": NORTHWIND_EXTRAS,
        "deputies": NORTHWIND_DEPUTIES,
        "blackouts": NORTHWIND_BLACKOUTS,
    },
    {
        "project": HARBOR_PROJECT,
        "dates": HARBOR_DATES,
        "members": HARBOR_MEMBERS,
        "systems": HARBOR_SYSTEMS,
        "owners": HARBOR_OWNERS,
        "data_elements": HARBOR_DATA_ELEMENTS,
        "handoffs": HARBOR_HANDOFFS,
        "exception_cases": HARBOR_EXCEPTIONS,
        "reports": HARBOR_REPORTS,
        "duties": HARBOR_DUTIES,
        "assurance": HARBOR_ASSURANCE,
    },
]

# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _stored(obj: models.Model, field: str):
    """The value as stored: a foreign key compares by id, so nothing is fetched."""
    model_field = obj._meta.get_field(field)
    if model_field.is_relation:
        return getattr(obj, model_field.attname)
    return getattr(obj, field)


def _wanted(obj: models.Model, field: str, value):
    if obj._meta.get_field(field).is_relation:
        return value.pk if value is not None else None
    return value


def _seed_content(obj: models.Model, kind: str) -> dict:
    """What the history records of a seeded row, in the same shape the services record."""
    if kind == "member":
        return {"role": obj.get_role_display()}
    if kind == "answer":
        return {"answer": obj.answer, "note": obj.note}
    if kind == "signatory":
        return {"signatory": obj.owner.name}
    return item_content(type(obj).objects.get(pk=obj.pk))


def _record_seed(obj: models.Model, kind: str, before: dict | None, name: str = "") -> None:
    after = _seed_content(obj, kind)
    changes = content_diff(type(obj), before, after)
    if before is not None and not changes:
        return
    action = ActivityAction.CREATED if before is None else ActivityAction.CHANGED
    spec = SPECS.get(kind)
    what = spec.singular if spec else kind
    name = name or str(obj)
    activity_record(
        project=obj if isinstance(obj, Project) else obj.project,
        actor=None,
        action=action,
        target_kind=kind,
        target_id=obj.pk if spec or kind == "project" else None,
        target_name=name,
        check_key=getattr(obj, "check_key", ""),
        summary=f"{dict(ActivityAction.choices)[action]} {what} “{name}” (demo seed)",
        changes=changes,
        via=ActivityVia.SEED,
    )


def upsert(
    model: type[models.Model],
    lookup: dict,
    values: dict,
    *,
    record: str = "",
    m2m: dict | None = None,
    name: str = "",
) -> models.Model:
    """Find the row by its natural key; create it, or write only the fields that differ.

    Unlike update_or_create this leaves an unchanged row alone (its `updated` stamp and edit
    version stay put), so a second run is a true no-op. A changed row gets its version bumped,
    so a form opened on the old content reports a conflict instead of overwriting silently.
    With `record` (a history target kind) the write is recorded in the project's history,
    like any other change; `m2m` many-to-many links are set before that.
    """
    obj = model.objects.filter(**lookup).first()
    before = _seed_content(obj, record) if obj is not None and record else None
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
    else:
        changed = [f for f, v in values.items() if _stored(obj, f) != _wanted(obj, f, v)]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.full_clean()
            fields = [*changed, "updated"]
            if isinstance(obj, Stamped):
                obj.version = F("version") + 1
                fields.append("version")
            obj.save(update_fields=fields)
            if isinstance(obj, Stamped):
                obj.refresh_from_db(fields=["version"])
    for field, objs in (m2m or {}).items():
        getattr(obj, field).set(objs)
    if record:
        _record_seed(obj, record, before, name)
    return obj


def seed_users() -> dict[str, models.Model]:
    user_model = get_user_model()
    users = {}
    for spec in USERS:
        values = {k: spec[k] for k in ("first_name", "last_name", "email")}
        values |= {"is_active": True, "is_staff": False, "is_superuser": False}
        user = user_model.objects.filter(username=spec["username"]).first()
        if user is None:
            user = user_model(username=spec["username"], **values)
            user.set_password(PASSWORD)
            user.save()
        else:
            changed = [f for f, v in values.items() if getattr(user, f) != v]
            for field in changed:
                setattr(user, field, values[field])
            # check_password costs one hash; set_password would also rewrite the row.
            if not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
                changed.append("password")
            if changed:
                user.save(update_fields=changed)
        users[spec["username"]] = user
    return users


def seed_project(spec: dict, today: datetime.date) -> Project:
    values = dict(spec["project"])
    slug = values.pop("slug")
    for field, days in spec["dates"].items():
        values[field] = today + datetime.timedelta(days=days) if days is not None else None
    return upsert(Project, {"slug": slug}, values, record="project")


def seed_members(project: Project, members: dict[str, str], users: dict) -> None:
    for username, role in members.items():
        user = users[username]
        upsert(
            Membership,
            {"project": project, "user": user},
            {"role": role},
            record="member",
            name=user.get_full_name() or username,
        )
    # A demo account's place in a demo project is whatever the seed says, nothing more.
    demo_users = [u for name, u in users.items() if name not in members]
    for membership in Membership.objects.filter(project=project, user__in=demo_users):
        member_remove(membership=membership)


def seed_named(
    model: type[models.Model],
    project: Project,
    rows: list[dict],
    refs: dict[str, dict[str, models.Model]] | None = None,
    many: dict[str, dict[str, models.Model]] | None = None,
) -> dict[str, models.Model]:
    """Upsert items named uniquely per project.

    `refs` maps a foreign-key field to the objects its names resolve to; `many` does the same
    for many-to-many fields, which are set (not added to) on every run.
    """
    refs, many = refs or {}, many or {}
    result = {}
    for row in rows:
        values = dict(row)
        name = values.pop("name")
        for field, lookup in refs.items():
            ref = values.get(field)
            values[field] = lookup[ref] if ref else None
        links = {
            field: [lookup[n] for n in values.pop(field, [])] for field, lookup in many.items()
        }
        kind = spec_for_model(model).kind
        obj = upsert(model, {"project": project, "name": name}, values, record=kind, m2m=links)
        result[name] = obj
    return result


def seed_owners(project: Project, rows: list[dict], users: dict) -> dict[str, Owner]:
    # Free a demo account linked to a different owner, or the unique (project, user) bites.
    for row in rows:
        if row.get("user"):
            linked = Owner.objects.filter(project=project, user=users[row["user"]])
            for owner in linked.exclude(name=row["name"]):
                upsert(Owner, {"pk": owner.pk}, {"user": None}, record="owners")
    rows = [{"user": None, **row} for row in rows]
    return seed_named(Owner, project, rows, refs={"user": users})


# Who ran the demo's tests: the business analyst who writes the test scripts.
DEMO_TESTER = "Sam Kowalski"


def seed_exception_cases(project, rows, today, handoffs, owners, elements):
    tests = {}
    plain = []
    for row in rows:
        values = dict(row)
        tests[values["name"]] = (
            values.pop("test_status", TestStatus.UNTESTED),
            values.pop("tested_days_ago", None),
            values.pop("evidence", ""),
        )
        plain.append(values)
    cases = seed_named(
        ExceptionCase,
        project,
        plain,
        refs={"handoff": handoffs, "decision_owner": owners},
        many={"data_elements": elements},
    )
    # A tested case gets its one test run, once: the case's status follows its runs.
    for name, (status, days_ago, evidence) in tests.items():
        case = cases[name]
        if status == TestStatus.UNTESTED or case.test_runs.exists():
            continue
        run = TestRun(
            run_on=today - datetime.timedelta(days=days_ago or 1),
            result=status,
            tester=DEMO_TESTER,
            evidence=evidence,
        )
        test_run_add(case=case, run=run, user=None, via=ActivityVia.SEED)
    return cases


def seed_duties(project: Project, rows: list[dict], handoffs: dict, owners: dict) -> list[Duty]:
    duties = []
    for row in rows:
        handoff = handoffs[row["handoff"]] if row["handoff"] else None
        owner = owners[row["owner"]] if row["owner"] else None
        deputy = owners[row["deputy"]] if row.get("deputy") else None
        duties.append(
            upsert(
                Duty,
                {"project": project, "kind": row["kind"], "handoff": handoff},
                {"owner": owner, "deputy": deputy, "notes": row["notes"]},
                record="duties",
            )
        )
    return duties


def _element_row(row: dict, today: datetime.date) -> dict:
    """A data element as measured before the plan locks, unless its row says otherwise."""
    context = (row.get("travelling_context") or "").strip()
    return {
        "population": Population.MIGRATED,
        "entry_validated": True,
        "accuracy_percent": Decimal("99.2"),
        "accuracy_measured_on": today - datetime.timedelta(days=21),
        "period_date": PeriodDate.NOT_FINANCIAL,
        "context_travels": ContextTravels.TRAVELS if context else ContextTravels.UNKNOWN,
    }


def _handoff_row(row: dict, today: datetime.date) -> dict:
    """Rules and checkpoint as the text says; interfaces tested unless told otherwise."""
    written = bool((row.get("automation_rules") or "").strip())
    informal = row.get("mechanism") in Mechanism.informal()
    return {
        "rules_state": RulesState.WRITTEN if written else RulesState.UNSTATED,
        "human_checkpoint": Checkpoint.YES if written else Checkpoint.UNSTATED,
        "interface_status": InterfaceStatus.NO_INTERFACE if informal else InterfaceStatus.TESTED,
        "interface_tested_on": None if informal else today - datetime.timedelta(days=14),
    }


def _extended(rows: list[dict], extras: dict, defaults=None, today=None) -> list[dict]:
    return [
        {**(defaults(row, today) if defaults else {}), **row, **extras.get(row["name"], {})}
        for row in rows
    ]


def seed_blackouts(project: Project, rows: list[dict], today: datetime.date) -> None:
    seed_named(
        BlackoutPeriod,
        project,
        [
            {
                "name": row["name"],
                "starts_on": today + datetime.timedelta(days=row["starts_on"]),
                "ends_on": today + datetime.timedelta(days=row["ends_on"]),
            }
            for row in rows
        ],
    )


def seed_one(spec: dict, users: dict, today: datetime.date) -> Project:
    project = seed_project(spec, today)
    seed_members(project, spec["members"], users)
    extras = spec.get("extras", {})
    systems = seed_named(
        System,
        project,
        _extended(spec["systems"], extras.get("systems", {}), lambda r, t: {"build": "configured"}),
    )
    seed_blackouts(project, spec.get("blackouts", []), today)
    owners = seed_owners(project, spec["owners"], users)
    elements = seed_named(
        DataElement,
        project,
        [
            {"defined_differently": False, "truth_disputed": False, **r}
            for r in _extended(
                spec["data_elements"], extras.get("data-elements", {}), _element_row, today
            )
        ],
        refs={"system_of_truth": systems, "steward": owners},
        many={"consuming_systems": systems},
    )
    handoffs = seed_named(
        Handoff,
        project,
        [
            {"is_workaround": False, **r}
            for r in _extended(spec["handoffs"], extras.get("handoffs", {}), _handoff_row, today)
        ],
        refs={
            "from_system": systems,
            "to_system": systems,
            "receiving_owner": owners,
            "fixer": owners,
        },
        many={"data_elements": elements},
    )
    seed_exception_cases(project, spec["exception_cases"], today, handoffs, owners, elements)
    seed_named(
        Report,
        project,
        spec["reports"],
        refs={"owner": owners},
        many={"source_elements": elements, "source_systems": systems},
    )
    seed_duties(
        project,
        [
            {
                "deputy": spec.get("deputies", {}).get(r["kind"]) if r["handoff"] is None else None,
                **r,
            }
            for r in spec["duties"]
        ],
        handoffs,
        owners,
    )
    if spec.get("accountable_executive"):
        upsert(
            Project,
            {"pk": project.pk},
            {"accountable_executive": owners[spec["accountable_executive"]]},
            record="project",
        )
    for review in spec.get("assurance", []):
        if not AssuranceReview.objects.filter(
            project=project, reviewer=review["reviewer"]
        ).exists():
            values = {k: v for k, v in review.items() if k != "days_ago"}
            assurance_add(
                project=project,
                review=AssuranceReview(
                    reviewed_on=today - datetime.timedelta(days=review["days_ago"]), **values
                ),
                user=None,
                via=ActivityVia.SEED,
            )
    return project


# The review as a team two weeks into it would have it: signatories named, some questions
# answered, one handoff already signed by its receiving owner.
NORTHWIND_REVIEW = {
    "signatories": {
        "data": HELEN,
        "handoffs": PRIYA,
        "exceptions": PRIYA,
        "reporting": HELEN,
        "ownership": HELEN,
    },
    "answers": {
        "data": {
            "measurable_outcome": ("yes", "Invoice within 24 hours of dispatch; close in 5 days."),
            "records_listed": ("yes", "17 record types agreed in the data workshop."),
            "system_of_truth": (
                "partly",
                "Customer master is still contested between CRM and ERP; credit limit has none.",
            ),
            "shared_definitions": (
                "no",
                "Sales and finance count an 'active customer' differently (12 vs 18 months).",
            ),
        },
        "handoffs": {
            "current_process_mapped": ("yes", "Mapped in the order-to-cash walkthroughs."),
            "trigger_defined": ("yes", ""),
            "receiving_owner": ("partly", "EDI intake and the joiner flow still lack a fixer."),
        },
        "reporting": {
            "day_one_reports": ("yes", "Five reports agreed with the COO for week one."),
            "sources_agreed": ("partly", "Cash forecast still blends CRM and ERP figures."),
        },
        "ownership": {
            "owner_per_integration": (
                "partly",
                "Dispatch-to-invoice automation still sits with the implementation partner.",
            ),
        },
    },
    "signed_handoffs": [INVOICE_DISPUTE],
}


def seed_review(project: Project, review: dict, users: dict) -> None:
    owners = {o.name: o for o in Owner.objects.filter(project=project)}
    for check_key, owner_name in review["signatories"].items():
        check = get_check(check_key)
        upsert(
            CheckSignatory,
            {"project": project, "check_key": check_key},
            {"owner": owners[owner_name]},
            record="signatory",
            name=f"Check {check.number} · {check.title}",
        )
    for check_key, answers in review["answers"].items():
        check = get_check(check_key)
        for question_key, (answer, note) in answers.items():
            question = next(q for q in check.questions if q.key == question_key)
            upsert(
                Answer,
                {"project": project, "check_key": check_key, "question_key": question_key},
                {"answer": answer, "note": note, "answered_by": users["demo-contributor"]},
                record="answer",
                name=question.prompt,
            )
    for name in review["signed_handoffs"]:
        handoff = Handoff.objects.select_related("receiving_owner").get(project=project, name=name)
        if not SignOff.objects.filter(handoff=handoff).exists():
            item_sign(
                project=project,
                kind="handoffs",
                item=handoff,
                user=handoff.receiving_owner.user,
                statement="The dispute routing, fix rights and escalation are as agreed "
                "with credit control.",
                via=ActivityVia.SEED,
            )


class Command(BaseCommand):
    help = "Create or refresh the demo projects and accounts (safe to run again)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        with transaction.atomic():
            users = seed_users()
            projects = [seed_one(spec, users, today) for spec in PROJECTS]
            seed_review(projects[0], NORTHWIND_REVIEW, users)
        self._summary(projects, users)

    def _summary(self, projects: list[Project], users: dict) -> None:
        out = self.stdout
        for project in projects:
            out.write(
                self.style.SUCCESS(f"{project.name}")
                + f" (slug {project.slug}, plan lock {project.plan_lock_date:%d %b %Y}, "
                f"go-live {project.go_live_date:%d %b %Y})"
            )
            counts = [
                ("members", project.memberships.count()),
                ("systems", project.systems.count()),
                ("owners", project.owners.count()),
                ("data elements", project.data_elements.count()),
                ("handoffs", project.handoffs.count()),
                ("exception cases", project.exception_cases.count()),
                ("reports", project.reports.count()),
                ("duties", project.duties.count()),
            ]
            out.write("  " + ", ".join(f"{n} {label}" for label, n in counts))
        out.write(f"Accounts (password “{PASSWORD}”):")
        for spec in USERS:
            user = users[spec["username"]]
            out.write(f"  {user.username:<17} {user.get_full_name():<16} {spec['note']}")
