-- Attachments are never deleted (issue 15 item 4): the database refuses DELETE and TRUNCATE, and an
-- UPDATE other than one withdrawal (withdrawn_at, withdrawn_by, withdraw_reason set once) whoever
-- asks, the owner included, as it does for the case timeline.
CREATE FUNCTION case_attachment_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'case_attachment is never deleted: withdraw the attachment instead';
  END IF;
  IF OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL OR NEW.withdrawn_by IS NULL OR NEW.withdraw_reason IS NULL
     OR (NEW.id, NEW.case_id, NEW.kind, NEW.event_id, NEW.file_name, NEW.content_type, NEW.sha256, NEW.size, NEW.storage_key, NEW.note, NEW.uploaded_by, NEW.uploaded_at)
        IS DISTINCT FROM
        (OLD.id, OLD.case_id, OLD.kind, OLD.event_id, OLD.file_name, OLD.content_type, OLD.sha256, OLD.size, OLD.storage_key, OLD.note, OLD.uploaded_by, OLD.uploaded_at) THEN
    RAISE EXCEPTION 'case_attachment % may only be withdrawn, once', OLD.id;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER case_attachment_kept BEFORE UPDATE OR DELETE ON "case_attachment"
  FOR EACH ROW EXECUTE FUNCTION case_attachment_kept();
CREATE TRIGGER case_attachment_no_truncate BEFORE TRUNCATE ON "case_attachment"
  FOR EACH STATEMENT EXECUTE FUNCTION case_attachment_kept();
