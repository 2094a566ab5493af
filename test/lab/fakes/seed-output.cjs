// The output of the management gateway's and agent's installers as seed 003 shows it, word for word; the
// lab's stand-ins (lb-tools.cjs) print it. `FILE` stands for the response file the setup was given.
'use strict';

const GATEWAY_RPM = `Preparing...                          ################################# [100%]
Checking pre-requisites
        Checking if any previous gateway service exists
        Checking if OS has systemd or initd
        Checking available disk space for gateway install
        Checking if /opt/oracle/mgmt_agent directory exists
        Checking if 'mgmt_agent' user exists
               'mgmt_agent' user already exists, the gateway will proceed with installation without creating a new one.
        Checking Java version
               JAVA_HOME is not set or not readable to root
               Trying default path /usr/bin/java
               Java version: 1.8.0_352 found at /usr/bin/java
        Checking agent version
Updating/installing...
   1:oracle.mgmt_gateway-230207.1529.1################################# [100%]

Executing install
        Unpacking software zip
        Copying files to destination dir (/opt/oracle/mgmt_agent)
        Initializing software from a template
        Checking if a JavaScript engine is available to use
        Creating 'mgmt_gateway' daemon
        Gateway Install Logs: /opt/oracle/mgmt_agent/installer-logs/installer.log.0
        Setup gateway using input response file (run as any user with 'sudo' privileges)
        Usage:
               sudo /opt/oracle/mgmt_agent/agent_inst/bin/setupGateway.sh opts=[FULL_PATH_TO_INPUT.RSP]

Gateway install successfully
`;

/** setupGateway.sh, in two parts: up to the key check, then the rest (the waits are printed with pauses). */
const GATEWAY_SETUP_START = `Executing configure
        Parsing input response file
        Validating install key
`;

const GATEWAY_SETUP_REST = `        Generating communication wallet
        Generating security artifacts
        Registering Management Gateway
                Found service plugin(s): [GatewayProxy]
Starting gateway...
Gateway started successfully
Starting plugin deployment for: [GatewayProxy]
Deploying service plugin(s)...Done.
        GatewayProxy : Successfully deployed external plugin
The Gateway setup is completed and the gateway is running.
In the future gateway can be started by directly running: sudo systemctl start mgmt_gateway
Please make sure that you delete FILE or store it in a secure location.
Creating gateway system properties file
Creating properties file
Creating or validating certificates
Waiting for Management Gateway to create or validate certificates...
Waiting for Management Gateway to create or validate certificates...
Waiting for Management Gateway to create or validate certificates...
Creating wallets
Wallets created successfully
Waiting for Management Gateway to start...
Management Gateway Plugin set up successfully.
`;

const AGENT_RPM = `Preparing...                          ################################# [100%]
Checking pre-requisites
        Checking if any previous agent service exists
        Checking if OS has systemd or initd
        Checking available disk space for agent install
        Checking if /opt/oracle/mgmt_agent directory exists
        Checking if 'mgmt_agent' user exists
               'mgmt_agent' user already exists, the agent will proceed with installation without creating a new one.
        Checking Java version
               JAVA_HOME is not set or not readable to root
               Trying default path /usr/bin/java
               Java version: 1.8.0_262 found at /usr/bin/java
        Checking agent version
Updating / installing...
   1:oracle.mgmt_agent-230207.1529-1  ################################# [100%]

Executing install
        Unpacking software zip
        Copying files to destination dir (/opt/oracle/mgmt_agent)
        Initializing software from a template
        Checking if JavaScript engine is available to use
        Creating mgmt_agent daemon
        Agent Install Logs: /opt/oracle/mgmt_agent/installer-logs/installer.log.0
        Setup agent using input response file (run as any user with 'sudo' privileges)
        Usage:
               sudo /opt/oracle/mgmt_agent/agent_inst/bin/setup.sh opts=[FULL_PATH_TO_INPUT.RSP]  
Agent install successfully
`;

const AGENT_SETUP_START = `
Executing configure
        Parsing input response file
        Validating install key
`;

const AGENT_SETUP_REST = `        Generating communication wallet
        Generating security artifacts
        Registering Management Agent
               Found service plugin(s): [logan]
        Setting proxy for agent communication
Starting agent...
Agent started successfully
Waiting for credential operation to complete...Done.
Agent setup is completed and the agent is running.
In the future agent can be started by directly running: sudo systemctl start mgmt_agent
Please make sure that you delete FILE or store it in a secure location.
`;

module.exports = {
  GATEWAY_RPM,
  GATEWAY_SETUP_START,
  GATEWAY_SETUP_REST,
  AGENT_RPM,
  AGENT_SETUP_START,
  AGENT_SETUP_REST,
};
