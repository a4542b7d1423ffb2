package dev.atrest.s3;

/** What HeadObject found: an object version, or why there is none to look at. */
public record HeadResult(Presence presence, ObjectState state) {

    public enum Presence {
        PRESENT,
        /** 404: deleted (or never there) since the event. */
        MISSING,
        /** The current version (or the named one) is a delete marker. */
        DELETE_MARKER,
        /** 400 on HEAD: S3 wants the customer's key, so the object is SSE-C. */
        CUSTOMER_KEY_REQUIRED
    }

    static HeadResult present(ObjectState state) {
        return new HeadResult(Presence.PRESENT, state);
    }

    static HeadResult absent(Presence presence) {
        return new HeadResult(presence, null);
    }
}
