"""Page objects for the browser journeys: locators by role and label, one class per page."""
