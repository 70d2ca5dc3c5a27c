package dk.sf1820.app.notifications;

/** What the operator is told about, with the words the mail uses. */
enum NoticeKind {
    DELIVERY_FAILED(
            "Delivery failed",
            "The platform (or the transporter, after its retry budget) refused the file. Fix the cause, then "
                    + "submit the extract again with --resend."),
    DELIVERY_TIMED_OUT(
            "No receipt in time",
            "The platform has not answered. Check the sender's IN and OUT folders and the platform's status "
                    + "before sending again."),
    DEADLINE_NEAR(
            "File near the platform's 30-day deletion",
            "A file of this transfer has lain on the platform for 20 days; the platform deletes it at 30. "
                    + "Find out why it is still there."),
    BUSINESS_RECEIPT_REJECTED(
            "Rejected by the recipient",
            "The file reached the recipient, whose business receipt says it was not accepted (or the recipient "
                    + "could not be told). Read the reason, fix the extract, then submit it again with --resend."),
    DEAD_LETTER(
            "Dead letter",
            "A stage could not read or process a record and set it aside in its dead-letter topic; the "
                    + "transfer does not go on by itself. Fix the cause, then resend the extract.");

    private final String headline;
    private final String advice;

    NoticeKind(String headline, String advice) {
        this.headline = headline;
        this.advice = advice;
    }

    String headline() {
        return headline;
    }

    String advice() {
        return advice;
    }
}
