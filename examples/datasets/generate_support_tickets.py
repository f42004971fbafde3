"""Generate support-tickets-2025.csv: 400 helpdesk tickets labeled with
support-intents 1.0.0, for the migration walkthrough in the README.

Deterministic (a fixed seed): running it again rewrites the same file.

    python examples/datasets/generate_support_tickets.py

Columns: ticket_id, created_at (2025), channel (email, chat, web), text (the
customer's first message), intent (a support-intents 1.0.0 label). Two rows carry
the label-hygiene problems real exports have: a label with stray spaces and
capitals, and a label that was never in the taxonomy (a typo).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

from taxops.engines.datasets import fingerprint, provenance_record, sidecar_path

OUT = Path(__file__).with_name("support-tickets-2025.csv")
PRODUCTS = [
    "Halo thermostat",
    "Beacon doorbell",
    "Lumen smart bulb",
    "Atlas hub",
    "Nest-free camera kit",
    "Aria speaker",
]

TEMPLATES: dict[str, list[str]] = {
    "billing.charge_dispute": [
        "There is a charge of ${amount} on my card from you that I don't recognise. What is it for?",
        "I was billed ${amount} this month and I have no idea why. Please explain or reverse it.",
    ],
    "billing.double_charge": [
        "You charged me twice for order {order}, ${amount} each time.",
        "My bank shows two identical payments of ${amount} for the same order.",
    ],
    "billing.refund_status": [
        "You promised me a refund when I cancelled my plan two weeks ago. When will it arrive?",
        "Still waiting for the ${amount} goodwill refund your agent promised. Any update?",
    ],
    "billing.payment_declined": [
        "My card keeps getting declined at checkout even though it works everywhere else.",
        "The renewal payment failed and now I can't pay. How else can I pay?",
    ],
    "billing.update_payment_method": [
        "I got a new card, how do I replace the old one on my account?",
        "Please remove my old PayPal and use my Visa instead.",
    ],
    "billing.invoice_request": [
        "Can you send me a VAT invoice for order {order}? I need it for my company.",
        "I need a receipt for my last three monthly payments.",
    ],
    "billing.pricing_question": [
        "How much does the Plus plan cost per year if I pay upfront?",
        "Is the price of the {product} going to change next month?",
    ],
    "billing.promo_code": [
        "The code SPRING25 says it's invalid at checkout.",
        "I forgot to apply my discount code to order {order}, can you still apply it?",
    ],
    "account.login_problem": [
        "I can't log in, the page just reloads after I enter my password.",
        "The app says my email isn't registered but I've had an account for years.",
    ],
    "account.password_reset": [
        "The password reset email never arrives.",
        "How do I reset my password? The link says it expired.",
    ],
    "account.two_factor": [
        "I changed phones and can't get the two-factor code anymore.",
        "The SMS verification code never comes through.",
    ],
    "account.update_details": [
        "I need to change the email address on my account.",
        "How do I update my phone number and name?",
    ],
    "account.close_account": [
        "Please close my account and stop all emails.",
        "I want to delete my account completely, how?",
    ],
    "account.locked": [
        "My account says it's locked after too many attempts.",
        "I've been locked out for a day now, please unlock it.",
    ],
    "account.compromised": [
        "Someone logged into my account from another country and changed my address!",
        "I think my account was hacked, there are orders I didn't place.",
    ],
    "subscription.cancel": [
        "Please cancel my Plus subscription at the end of this month.",
        "How do I cancel my plan? I can't find the button.",
    ],
    "subscription.change_plan": [
        "I'd like to downgrade from Plus to Basic.",
        "Can I switch to the family plan mid-cycle?",
    ],
    "subscription.pause": [
        "Can I pause my subscription for two months while I travel?",
        "Is there a way to put my plan on hold instead of cancelling?",
    ],
    "subscription.unexpected_renewal": [
        "My plan renewed for another year without any reminder. I didn't want that.",
        "I thought I cancelled but I was charged for a renewal today.",
    ],
    "orders.order_status": [
        "Where is my order {order}? The tracking hasn't updated.",
        "Can you tell me when order {order} will ship?",
    ],
    "orders.delivery_delay": [
        "My order {order} was promised for Monday and it's now Thursday.",
        "Delivery was due three days ago and still nothing.",
    ],
    "orders.change_order": [
        "Can I add a second {product} to order {order} before it ships?",
        "I ordered the wrong colour, can you change it before dispatch?",
    ],
    "orders.cancel_order": [
        "Please cancel order {order}, I ordered by mistake.",
        "I want to cancel my order before it ships.",
    ],
    "orders.change_address": [
        "I need to change the delivery address for order {order}.",
        "I moved last week, can you send order {order} to my new address?",
    ],
    "orders.missing_item": [
        "The box arrived but the power adapter for the {product} is missing.",
        "Order {order} came with only one of the two bulbs I paid for.",
    ],
    "orders.wrong_item": [
        "I ordered the {product} but received a completely different item.",
        "You sent me the white version, I ordered black.",
    ],
    "orders.damaged_item": [
        "The {product} arrived with a cracked screen.",
        "The box was crushed and the {product} inside is broken.",
    ],
    "orders.delivered_not_received": [
        "Tracking says delivered but nothing was left at my door.",
        "The courier marked order {order} as delivered, I never got it.",
    ],
    "returns.start_return": [
        "I'd like to return the {product}, it doesn't suit us.",
        "How do I send back order {order}?",
    ],
    "returns.return_label": [
        "I started a return but never got the shipping label.",
        "The return label won't print, can you email it again?",
    ],
    "returns.return_status": [
        "I sent the {product} back two weeks ago, when do I get my money?",
        "You received my return on the 3rd, where is my refund?",
    ],
    "returns.exchange": [
        "Can I exchange the {product} for the bigger model?",
        "I want to swap my bulb for the colour version instead of a refund.",
    ],
    "returns.return_policy": [
        "How many days do I have to return an opened {product}?",
        "Do you accept returns on sale items?",
    ],
    "technical.device_setup": [
        "The {product} won't pair during setup, it's stuck on the blue light.",
        "I can't get the {product} onto my wifi during installation.",
    ],
    "technical.device_offline": [
        "My {product} shows offline in the app since yesterday.",
        "The {product} keeps disconnecting from wifi every few hours.",
    ],
    "technical.firmware_update": [
        "The firmware update for my {product} fails at 80%.",
        "After the latest update my {product} restarts constantly.",
    ],
    "technical.app_crash": [
        "The app crashes as soon as I open the camera view.",
        "The Android app closes immediately after login.",
    ],
    "technical.website_error": [
        "Your checkout page shows error 500 when I click pay.",
        "The website won't load my order history, it just spins.",
    ],
    "technical.notifications": [
        "I stopped getting motion alerts on my phone.",
        "The app sends me the same notification ten times.",
    ],
    "product.compatibility": [
        "Does the {product} work with Apple Home?",
        "Will the {product} work with my 2015 boiler?",
    ],
    "product.availability": [
        "When will the {product} be back in stock?",
        "Is the {product} sold in Canada?",
    ],
    "product.specifications": [
        "What is the battery life of the {product}?",
        "Is the {product} waterproof enough for outdoor use?",
    ],
    "product.warranty": [
        "My {product} stopped working after 14 months, is it still under warranty?",
        "How long is the warranty on the {product}?",
    ],
    "product.usage_help": [
        "How do I set a schedule on the {product}?",
        "How do I share access to the {product} with my partner?",
    ],
    "product.general_question": [
        "I have a question about your products.",
        "Hi, can someone call me back about my devices?",
    ],
    "feedback.compliment": [
        "Just wanted to say your support agent Maria was brilliant.",
        "The {product} is fantastic, thank you!",
    ],
    "feedback.complaint": [
        "This is the third time I contact you and nobody answers. Very disappointed.",
        "Your service has gone downhill, I'm unhappy.",
    ],
    "feedback.feature_request": [
        "Please add a dark mode to the app.",
        "It would be great if the {product} could work offline.",
    ],
    "privacy.data_access": [
        "Under GDPR I request a copy of all the data you hold on me.",
        "What personal data do you store about me?",
    ],
    "privacy.data_deletion": [
        "Please erase all my personal data from your systems.",
        "I want my recordings and account data deleted.",
    ],
    "privacy.marketing_opt_out": [
        "Stop sending me marketing emails.",
        "Unsubscribe me from all newsletters please.",
    ],
    "privacy.legal_threat": [
        "If this isn't resolved I will take legal action.",
        "My lawyer will be in touch about the data breach.",
    ],
    "privacy.camera_privacy": [
        "Who at your company can see my camera recordings?",
        "Is my indoor camera footage ever watched by your staff?",
    ],
}
# How often each group shows up in a real inbox (orders and billing dominate).
WEIGHTS = {
    "orders": 6,
    "billing": 4,
    "returns": 4,
    "account": 3,
    "technical": 3,
    "subscription": 2,
    "product": 2,
    "feedback": 1,
    "privacy": 1,
}


def main() -> None:
    rng = random.Random(2025)
    labels = list(TEMPLATES)
    weights = [WEIGHTS[label.split(".")[0]] for label in labels]
    start = dt.datetime(2025, 1, 1, 8, 0)
    rows = []
    for i in range(400):
        label = rng.choices(labels, weights)[0]
        text = rng.choice(TEMPLATES[label]).format(
            amount=rng.choice([9.99, 14.5, 29, 49.99, 119]),
            order=f"NW-{rng.randint(100000, 999999)}",
            product=rng.choice(PRODUCTS),
        )
        created = start + dt.timedelta(minutes=i * 1300 + rng.randint(0, 600))
        rows.append(
            [
                f"T-{25000 + i}",
                created.isoformat(timespec="minutes"),
                rng.choice(["email", "chat", "web"]),
                text,
                label,
            ]
        )
    rows[57][4] = " Orders.Order_Status "  # a spreadsheet round trip left spaces and capitals
    rows[211][4] = "billing.refund"  # a hand-typed label that never existed
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["ticket_id", "created_at", "channel", "text", "intent"])
        writer.writerows(rows)
    # Provenance, as taxops migrate writes it: the next migration starts from it.
    record = provenance_record(
        "support-intents", "1.0.0", label_column="intent", multi_label=False, rows=len(rows),
        dataset_fingerprint=fingerprint(OUT),
    )  # fmt: skip
    sidecar_path(OUT).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} tickets) and its provenance {sidecar_path(OUT).name}")


if __name__ == "__main__":
    main()
