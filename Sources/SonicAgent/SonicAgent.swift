/// # SonicAgent
///
/// Turns a person's words into a typed, checked request: intent recognition, entity
/// extraction and planning. It never talks to the network: it returns values that `SonicApp`
/// carries out (reads) or prepares for the person's wallet to sign (writes).
public enum SonicAgentModule {}
