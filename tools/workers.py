"""Workers on the RentAHuman marketplace: search, profiles, reviews, skills."""
