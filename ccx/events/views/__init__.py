"""The event pages, by audience: public (and programme), participant, organiser; access holds what they share."""
