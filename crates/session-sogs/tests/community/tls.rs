//! Direct HTTPS to a double with a self-signed certificate, trusted as an extra root.

use std::time::Duration;

use session_sogs::{CommunityClient, DirectOptions, Error, Transport};

use crate::common::{defaults, keypair, server, sogs};

#[tokio::test]
async fn https_with_an_extra_root() {
    let double = sogs(defaults().tls(true)).await;
    let info = double.info();
    assert!(info.url.starts_with("https://"));
    let der = info.cert_der.clone().unwrap();

    let options = DirectOptions::default()
        .with_root(der)
        .with_timeout(Duration::from_secs(10));
    let alice = CommunityClient::new(server(info), keypair(1), Transport::Direct(options)).unwrap();
    let posted = alice.post_text("lobby", "over tls").await.unwrap();
    assert!(
        alice
            .message("lobby", posted.id)
            .await
            .unwrap()
            .signature_valid
    );

    // Without the root, the web PKI does not vouch for it.
    let untrusted = CommunityClient::new(
        server(info),
        keypair(1),
        Transport::Direct(DirectOptions::default()),
    )
    .unwrap();
    assert!(matches!(
        untrusted.capabilities().await,
        Err(Error::Http(_))
    ));
    double.shutdown().await;
}
