-- How each account wants pages shown: a larger text size and a
-- high-contrast theme, chosen on the account page.
ALTER TABLE users
    ADD COLUMN text_size text NOT NULL DEFAULT 'normal' CHECK (text_size IN ('normal', 'large', 'larger')),
    ADD COLUMN high_contrast boolean NOT NULL DEFAULT false;
