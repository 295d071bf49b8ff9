//! Why the signed-in principal may not change a policy: what the policy page sends with its
//! data (`permissions` answers it on the server) so the tabs disable those buttons and say why.

use serde::{Deserialize, Serialize};

/// AWS's AccessDenied sentence for each change of a policy, `None` where allowed. A hint for
/// disabling buttons: every change still authorizes itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDenials {
    pub create_version: Option<String>,
    pub set_default_version: Option<String>,
    pub delete_version: Option<String>,
    pub delete: Option<String>,
}
