// The addon's API as upstream declares it; uws-pack ships upstream's declarations beside the binaries.
export * from 'uws-pack';
