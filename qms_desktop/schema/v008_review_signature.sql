-- Signed closure: who closed a review is its signer; these record the title they signed
-- under (their top-management role) and what the signature means, as it stood at closing.
ALTER TABLE "management_review" ADD COLUMN "signed_title" VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE "management_review" ADD COLUMN "signature_meaning" VARCHAR(200) NOT NULL DEFAULT '';
